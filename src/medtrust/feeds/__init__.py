"""Offline vulnerability feed readers: OSV, NVD, CVE JSON 5, CSAF (and CSAF VEX), CycloneDX VEX,
OpenVEX, CISA KEV and FIRST EPSS, read from files, directories and archives.

Entry point: :func:`medtrust.feeds.batch.read_all`.
"""
