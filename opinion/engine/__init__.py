"""The engine: runs a per-document stage part by part, locally or on Dask, resumably.

- :mod:`~opinion.engine.jobs`: one :class:`Job` per part and the :class:`StageTask` workers run;
- :mod:`~opinion.engine.runner`: :func:`run_partwise` plans the jobs (skip, compute, remove)
  from the manifest and records each finished part; :func:`map_assign` sends a fitted model;
- :mod:`~opinion.engine.local` and :mod:`~opinion.engine.dask_runner`: the two executors.

The parts themselves are read and written through the workspace's one store,
:class:`opinion.io.parts.PartStore` (``ws.store``). See docs/architecture.md.
"""
