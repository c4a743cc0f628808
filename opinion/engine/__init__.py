"""Where part-wise stages run: part storage (local folders or fsspec URLs) and the Dask engine.

The public entry point is :func:`opinion.runner.run_partwise`.
"""
