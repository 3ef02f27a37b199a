"""MDS2 readers: NEMA 2019 xlsx, pasted text/markdown, CSV and medtrust JSON.

Use :func:`read_mds2` / :func:`read_mds2_file`; the format is detected from the content unless
given as a registry key (``nema-xlsx``, ``text``, ``csv``, ``json``).
"""

from medtrust.mds2.readers.base import Mds2Reader
from medtrust.mds2.readers.limits import ReadLimits
from medtrust.mds2.readers.registry import READERS, detect_format, read_mds2, read_mds2_file

__all__ = ["READERS", "Mds2Reader", "ReadLimits", "detect_format", "read_mds2", "read_mds2_file"]
