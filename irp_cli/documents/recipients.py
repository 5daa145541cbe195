"""Who an announcement letter goes to. A module of its own, with no imports, so that the
command line can offer ``irp letter --to`` without loading the document builders."""

from __future__ import annotations

from enum import StrEnum


class Recipient(StrEnum):
    """Who an announcement letter goes to (``irp letter --to``)."""

    GOVERNOR = "governor"
    IMB = "imb"
    CQC = "cqc"
    OFSTED = "ofsted"
    ESTYN = "estyn"
