"""How long the report's word clouds take, with each font size opened once against opening it
for every word (wordcloud's own way), in the same run; the PNGs must be byte-identical. Then the PNG encoding the clouds get
(:func:`opinion.words.cloud.png_bytes`: zlib's default level) against ``optimize=True``.

The clouds are the ones `opinion export` puts in report.html (all documents, the periods,
the largest topics and themes: :func:`opinion.words.report.cloud_images`).

Usage: ``python benchmarks/cloud_speed.py [WS] [--rounds 2]`` (default WS: ``demo-workspace``,
made by ``make demo``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opinion.words import cloud  # noqa: E402
from opinion.words.report import cloud_images  # noqa: E402


def _draw(ws: str, *, cached: bool) -> tuple[float, list[tuple[str, bytes]]]:
    opened = cloud._opened_font
    if not cached:  # every call opens the face again, as wordcloud does by itself
        cloud._opened_font = lambda image_font, path, size, index: image_font.truetype(path, size, index=index)
    try:
        start = time.perf_counter()
        images = cloud_images(ws, period="month", script="zh-Hans")
        return time.perf_counter() - start, images
    finally:
        cloud._opened_font = opened
        opened.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", nargs="?", default="demo-workspace")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    times: dict[bool, list[float]] = {True: [], False: []}
    results = {}
    for _ in range(args.rounds):
        for cached in (False, True):  # interleaved, so a busy machine slows both alike
            seconds, results[cached] = _draw(args.workspace, cached=cached)
            times[cached].append(seconds)
    same = results[True] == results[False]
    best = {k: min(v) for k, v in times.items()}
    print(f"{len(results[True])} clouds of {args.workspace}; best of {args.rounds} rounds")
    print(f"  font opened per word (wordcloud): {best[False]:.2f} s")
    print(f"  font opened once per size:        {best[True]:.2f} s  ({best[False] / best[True]:.2f}x faster)")
    print(f"  PNGs byte-identical: {same}")
    _encodings(args.workspace)
    if not same:
        sys.exit(1)


def _encodings(ws: str) -> None:
    import io

    drawn = []
    png_bytes = cloud.png_bytes
    cloud.png_bytes = lambda image: drawn.append(image) or b""  # type: ignore[assignment]
    try:
        cloud_images(ws, period="month", script="zh-Hans")
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
