"""The scenarios of ``bench/run.py``: what a person waits for, each against the raw SQL returning the same data.

``pages`` holds the pages and endpoints (timed over HTTP through ``django.test.Client``, their
selector and a raw SQL baseline interleaved); ``batch`` holds the sweep and the import. Both only
read the models, so they run on whatever data the database holds (``onezone synth`` or the demo).
"""
