"""Just enough DER to name who issued a certificate and whom it is for.

Python's `ssl` only decodes a peer certificate after verifying it, and a certificate that fails
verification is exactly the one we need to name (a TLS-inspecting proxy's). awsmedic does not
depend on `cryptography`, so this walks the few ASN.1 structures it needs: Certificate ->
tbsCertificate -> issuer and subject Names. Anything unexpected gives empty names, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

_OIDS = {
    bytes([0x55, 0x04, 0x03]): "CN",
    bytes([0x55, 0x04, 0x0A]): "O",
    bytes([0x55, 0x04, 0x0B]): "OU",
}
_STRING_TAGS = {0x0C: "utf-8", 0x13: "ascii", 0x16: "ascii", 0x14: "latin-1", 0x1E: "utf-16-be"}


@dataclass(frozen=True)
class Names:
    issuer: dict[str, str]
    subject: dict[str, str]

    @property
    def self_signed(self) -> bool:
        return bool(self.issuer) and self.issuer == self.subject

    def describe_issuer(self) -> str:
        return describe(self.issuer)


def describe(name: dict[str, str]) -> str:
    parts = [f"{key}={name[key]}" for key in ("CN", "O", "OU") if key in name]
    return ", ".join(parts) or "(unnamed)"


def _item(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER item at `offset`."""
    tag = data[offset]
    length = data[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError("truncated DER")
    return tag, start, end


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items = []
    offset = start
    while offset < end:
        item = _item(data, offset)
        items.append(item)
        offset = item[2]
    return items


def _name(data: bytes, start: int, end: int) -> dict[str, str]:
    """An X.501 Name: SEQUENCE OF SET OF SEQUENCE { OID, string }."""
    out: dict[str, str] = {}
    for _, set_start, set_end in _children(data, start, end):
        for _, attr_start, attr_end in _children(data, set_start, set_end):
            parts = _children(data, attr_start, attr_end)
            if len(parts) < 2 or parts[0][0] != 0x06:
                continue
            label = _OIDS.get(data[parts[0][1] : parts[0][2]])
            tag, value_start, value_end = parts[1]
            if label and tag in _STRING_TAGS and label not in out:
                raw = data[value_start:value_end]
                out[label] = raw.decode(_STRING_TAGS[tag], errors="replace")
    return out


def names(der: bytes) -> Names:
    """Issuer and subject of a DER certificate; empty names if it cannot be read."""
    try:
        _, cert_start, cert_end = _item(der, 0)
        _, tbs_start, tbs_end = _children(der, cert_start, cert_end)[0]
        fields = _children(der, tbs_start, tbs_end)
        if fields and fields[0][0] == 0xA0:  # explicit [0] version
            fields = fields[1:]
        # serialNumber, signature, issuer, validity, subject
        issuer, subject = fields[2], fields[4]
        return Names(_name(der, issuer[1], issuer[2]), _name(der, subject[1], subject[2]))
    except (IndexError, ValueError):
        return Names({}, {})
