"""The PDF's description of itself: the Info dictionary and XMP, licence included.

Readers' PDF viewers, library catalogues and search engines read these; the
licence goes into XMP the way Creative Commons recommends (xmpRights and
cc:license), so a copy of the file carries its terms with it. Dates come
from SOURCE_DATE_EPOCH when it is set, so two builds of the same handbook
give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from handbook_build.pdf.book import Book, LicenceInfo

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "cc": "http://creativecommons.org/ns#",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@dataclass(frozen=True)
class Metadata:
    title: str
    authors: tuple[str, ...]
    subject: str
    keywords: tuple[str, ...]
    created: dt.datetime  # aware, UTC
    lang: str
    licence: LicenceInfo
    rights: str  # the attribution line
    creator: str  # the tool that made the book
    producer: str  # the tools that wrote the PDF
    site_url: str | None = None

    @classmethod
    def of(cls, book: Book, created: dt.datetime, creator: str, producer: str) -> Metadata:
        subject = book.subtitle or f"{book.title}: " + ", ".join(c.title.lower() for c in book.chapters)
        return cls(book.title, book.authors, subject, book.keywords, created, book.lang, book.licence,
                   book.attribution, creator, producer, book.site_url)

    def document_id(self, *fingerprints: bytes) -> bytes:
        """16 bytes that name this exact book: the same inputs give the same id."""
        digest = hashlib.md5(usedforsecurity=False)
        digest.update(repr(self).encode("utf-8"))
        for fingerprint in fingerprints:
            digest.update(fingerprint)
        return digest.digest()

    def info(self) -> dict[str, str]:
        date = pdf_date(self.created)
        return {
            "/Title": self.title,
            "/Author": "; ".join(self.authors),
            "/Subject": self.subject,
            "/Keywords": ", ".join(self.keywords),
            "/Creator": self.creator,
            "/Producer": self.producer,
            "/CreationDate": date,
            "/ModDate": date,
        }

    def xmp(self, document_id: bytes) -> bytes:
        when = self.created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        rdf = ET.Element(_q("rdf:RDF"))
        d = ET.SubElement(rdf, _q("rdf:Description"), {_q("rdf:about"): ""})
        _alt(d, "dc:title", self.title, self.lang)
        _seq(d, "dc:creator", self.authors)
        _alt(d, "dc:description", self.subject, self.lang)
        _bag(d, "dc:subject", self.keywords)
        _alt(d, "dc:rights", f"{self.licence.name} ({self.licence.short}). {self.rights}", self.lang)
        ET.SubElement(d, _q("dc:format")).text = "application/pdf"
        _bag(d, "dc:language", (self.lang,))
        ET.SubElement(d, _q("xmpRights:Marked")).text = "True"
        ET.SubElement(d, _q("xmpRights:WebStatement")).text = self.licence.deed
        _alt(d, "xmpRights:UsageTerms", f"This work is licensed under {self.licence.name}. "
                                       f"To view a copy of this licence, visit {self.licence.deed}", self.lang)
        ET.SubElement(d, _q("cc:license"), {_q("rdf:resource"): self.licence.deed})
        if self.site_url:
            ET.SubElement(d, _q("cc:attributionURL"), {_q("rdf:resource"): self.site_url})
        ET.SubElement(d, _q("xmp:CreateDate")).text = when
        ET.SubElement(d, _q("xmp:ModifyDate")).text = when
        ET.SubElement(d, _q("xmp:MetadataDate")).text = when
        ET.SubElement(d, _q("xmp:CreatorTool")).text = self.creator
        ET.SubElement(d, _q("pdf:Producer")).text = self.producer
        ET.SubElement(d, _q("pdf:Keywords")).text = ", ".join(self.keywords)
        ident = f"uuid:{uuid.UUID(bytes=document_id)}"
        ET.SubElement(d, _q("xmpMM:DocumentID")).text = ident
        ET.SubElement(d, _q("xmpMM:InstanceID")).text = ident
        meta = ET.Element(_q("x:xmpmeta"))
        meta.append(rdf)
        body = ET.tostring(meta, encoding="unicode")
        return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + body + '\n<?xpacket end="r"?>').encode("utf-8")


def pdf_date(when: dt.datetime) -> str:
    """A PDF date string, in UTC: D:20261121093000Z."""
    return "D:" + when.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S") + "Z"


def _alt(parent: ET.Element, name: str, text: str, lang: str) -> None:
    alt = ET.SubElement(ET.SubElement(parent, _q(name)), _q("rdf:Alt"))
    ET.SubElement(alt, _q("rdf:li"), {XML_LANG: "x-default"}).text = text


def _seq(parent: ET.Element, name: str, items: tuple[str, ...]) -> None:
    seq = ET.SubElement(ET.SubElement(parent, _q(name)), _q("rdf:Seq"))
    for item in items:
        ET.SubElement(seq, _q("rdf:li")).text = item


def _bag(parent: ET.Element, name: str, items: tuple[str, ...]) -> None:
    bag = ET.SubElement(ET.SubElement(parent, _q(name)), _q("rdf:Bag"))
    for item in items:
        ET.SubElement(bag, _q("rdf:li")).text = item
