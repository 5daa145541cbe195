"""A letter as an email draft (``.eml``), with the standard library's :mod:`email` package.

The draft is addressed (``To``, ``Cc``), has a subject, a short covering note in plain text and
the Word letter attached. ``X-Unsent: 1`` makes Outlook open it as a new message ready to send
(with the sender's own account as ``From``) rather than as a received one; other mail programs
open it as a message to forward or resend. It has no ``Date`` or ``Message-ID`` (the mail
program adds them when it is sent) and a MIME boundary derived from its content, so the same
letter always gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


@dataclass(frozen=True)
class Recipient:
    """Someone a covering email goes to: the name, and the address where it is known."""

    name: str
    email: str | None


def build_eml(
    *,
    to: Sequence[Recipient],
    cc: Sequence[Recipient],
    subject: str,
    body: str,
    attachment: bytes,
    filename: str,
) -> bytes:
    """The bytes of an ``.eml`` draft: ``body`` as the message, ``attachment`` (a ``.docx``)
    attached as ``filename``. Recipients without an email address are left out."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = " ".join(subject.split())
    for header, people in (("To", to), ("Cc", cc)):
        addresses = [_address(p) for p in people if p.email]
        if addresses:
            message[header] = addresses
    message["X-Unsent"] = "1"
    message.set_content(body.replace("\r\n", "\n"))
    maintype, subtype = DOCX_TYPE
    message.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=filename)
    digest = hashlib.sha256(attachment + body.encode("utf-8")).hexdigest()[:32]
    message.set_boundary(f"irp-{digest}")
    return message.as_bytes()


def _address(person: Recipient) -> Address:
    assert person.email is not None
    user, _, domain = person.email.rpartition("@")
    return Address(display_name=" ".join(person.name.split()), username=user, domain=domain)
