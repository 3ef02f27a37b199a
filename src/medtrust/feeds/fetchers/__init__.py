"""Online fetchers for public vulnerability sources (OSV, NVD, CISA KEV, FIRST EPSS, CSAF).

They download into a local cache directory as plain files and archives that the offline
readers (:func:`medtrust.feeds.batch.read_all`) read unchanged, and keep a manifest so later
runs are incremental. Entry point: :func:`medtrust.feeds.fetchers.update.update_feeds`.
"""
