"""How long the report's word clouds take and how much memory they hold, three ways, each in a
fresh process (its own peak RSS), interleaved over the rounds:

- ``wordcloud``: wordcloud's own way: the largest font size found by laying out the first two
  words from the full height down, and the font opened again for every size of every word;
- ``until-2026-12-07``: the same sizing, with every (face, size) opened once and kept (up to 1,024);
- ``now``: the largest word at :attr:`CloudSettings.largest_font` (30 % of the height), and at
  most :data:`opinion.words.cloud.FONT_SIZES_KEPT` faces kept.

The first two draw byte-identical PNGs; ``now`` must draw the same PNGs every time. Then the PNG
encoding the clouds get (:func:`opinion.words.cloud.png_bytes`: zlib's default level) against
``optimize=True``.

The clouds are the ones `opinion export` puts in report.html (all documents, the periods,
the largest topics and themes: :func:`opinion.words.report.cloud_images`).

Usage: ``python benchmarks/cloud_speed.py [WS] [--rounds 2] [--period month]`` (default WS: ``demo-workspace``,
made by ``make demo``).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.words import cloud  # noqa: E402
from opinion.words.report import cloud_images  # noqa: E402

WAYS = ("wordcloud", "until-2026-12-07", "now")


def _draw(ws: str, way: str, period: str) -> dict[str, object]:
    """Draw the report's clouds one ``way`` in this process: seconds, faces kept, peak RSS, digest."""
    opened = cloud._opened_font.__wrapped__  # type: ignore[attr-defined]
    if way != "now":  # wordcloud sizes the largest word from a two-word layout
        cloud.CloudSettings.largest_font = property(lambda self: None)  # type: ignore[assignment,misc]
    if way == "wordcloud":  # every call opens the face again, as wordcloud does by itself
        cloud._opened_font = opened
    elif way == "until-2026-12-07":
        cloud._opened_font = functools.lru_cache(maxsize=1024)(opened)
    start = time.perf_counter()
    images = cloud_images(ws, period=period, script="zh-Hans")
    seconds = time.perf_counter() - start
    info = getattr(cloud._opened_font, "cache_info", lambda: None)()
    digest = hashlib.sha256(b"".join(png for _, png in images)).hexdigest()[:16]
    return {"seconds": seconds, "clouds": len(images), "faces": info.currsize if info else 0,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "digest": digest}


def _in_process(ws: str, way: str, period: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, ws, "--way", way, "--period", period], check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", default="demo-workspace")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--period", default="month", help="day, week or month (the report's periods)")
    parser.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)  # one way, in this process
    args = parser.parse_args()
    if args.way:
        print(json.dumps(_draw(args.workspace, args.way, args.period)))
        return
    cloud_images(args.workspace, period=args.period, script="zh-Hans")  # the counts kept once, before timing
    runs: dict[str, list[dict]] = {way: [] for way in WAYS}
    for _ in range(args.rounds):
        for way in WAYS:  # interleaved, so a busy machine slows all alike
            runs[way].append(_in_process(args.workspace, way, args.period))
    print(f"{runs['now'][0]['clouds']} clouds of {args.workspace}; best of {args.rounds} rounds, each in its own process")
    for way, done in runs.items():
        print(f"  {way:17} {min(r['seconds'] for r in done):6.2f} s  {done[0]['faces']:4} faces kept  "
              f"peak {max(r['peak_mb'] for r in done):6.0f} MB  PNGs {done[0]['digest']}")
    same_old = runs["wordcloud"][0]["digest"] == runs["until-2026-12-07"][0]["digest"]
    repeatable = len({r["digest"] for r in runs["now"]}) == 1
    print(f"  wordcloud and until-2026-12-07 byte-identical: {same_old}; now the same every round: {repeatable}")
    _encodings(args.workspace, args.period)
    if not (same_old and repeatable):
        sys.exit(1)


def _encodings(ws: str, period: str) -> None:
    import io

    drawn = []
    png_bytes = cloud.png_bytes
    cloud.png_bytes = lambda image: drawn.append(image) or b""  # type: ignore[assignment]
    try:
        cloud_images(ws, period=period, script="zh-Hans")
    finally:
        cloud.png_bytes = png_bytes
    for label, encode in (("optimize=True", None), ("png_bytes (default level)", png_bytes)):
        start, size = time.perf_counter(), 0
        for image in drawn:
            if encode is None:
                buffer = io.BytesIO()
                image.convert("RGB").quantize(colors=256).save(buffer, format="PNG", optimize=True)
                size += len(buffer.getvalue())
            else:
                size += len(encode(image))
        print(f"  PNG {label:26} {time.perf_counter() - start:.2f} s, {size / 1024:.0f} KB for {len(drawn)} clouds")


if __name__ == "__main__":
    main()
