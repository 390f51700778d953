"""The certificate PDF, read back by independent tools: text, fonts, QR code, metadata."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from lms.certificates.pdf import (
    FONTS_DIR,
    CertificateDocument,
    Mode,
    document_for,
    format_day,
    format_hours,
    mode_for,
    render_certificate_pdf,
)
from lms.content.model import CertificateDefinition, Issuer, Localized, Signatory
from lms.content.typography import french_spaces
from tests.unit.certificates.conftest import (
    CODE,
    LOGO,
    ROOT,
    STATEMENT,
    TITLE,
    VERIFY_URL,
    MakeDocument,
    flat,
    needs,
    run,
)

NAMES = [
    "Émilie Grenier",
    "Nguyễn Thị Minh",
    "Ελένη Παπαδοπούλου",
    "Алёна Йовановић",
    "ᐃᓄᒃᑎᑐᑦ",
]
BASE_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def write(tmp_path: Path, document: CertificateDocument, name: str = "certificate") -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render_certificate_pdf(document))
    return path


def pypdf_text(pdf: bytes) -> str:
    return flat(PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def test_the_names_are_typed_decomposed_where_they_can_be() -> None:
    # Syllabics have no decomposition; every other name must reach the renderer as NFD.
    for name in NAMES[:-1]:
        assert unicodedata.normalize("NFD", name) != name


@pytest.mark.parametrize("name", NAMES)
def test_pypdf_reads_back_the_name_in_nfc_and_the_statement(
    make_document: MakeDocument, name: str
) -> None:
    decomposed = unicodedata.normalize("NFD", name)
    pdf = render_certificate_pdf(make_document(holder_name=decomposed))
    text = pypdf_text(pdf)
    assert name in text
    assert flat(STATEMENT.get("fr")) in text


@needs("pdftotext")
@pytest.mark.parametrize("name", NAMES)
def test_pdftotext_reads_back_the_name_in_nfc_and_the_statement(
    make_document: MakeDocument, tmp_path: Path, name: str
) -> None:
    decomposed = unicodedata.normalize("NFD", name)
    text = flat(run("pdftotext", write(tmp_path, make_document(holder_name=decomposed)), "-"))
    assert name in text
    assert flat(STATEMENT.get("fr")) in text


@needs("pdftotext")
def test_markup_characters_in_a_name_print_literally(
    make_document: MakeDocument, tmp_path: Path
) -> None:
    name = 'Zoé "Zed" O\'Neil <b>&amp; Fils</b>'
    pdf = render_certificate_pdf(make_document(holder_name=name))
    assert name in pypdf_text(pdf)
    (tmp_path / "markup.pdf").write_bytes(pdf)
    assert name in flat(run("pdftotext", tmp_path / "markup.pdf", "-"))


@needs("pdffonts")
@pytest.mark.parametrize("mode", list(Mode))
def test_every_font_is_embedded_and_none_is_a_base_14_font(
    make_document: MakeDocument, tmp_path: Path, mode: Mode
) -> None:
    path = write(tmp_path, make_document(mode=mode, holder_name="Ελένη ᐃᓄᒃᑎᑐᑦ"))
    rows = run("pdffonts", path).splitlines()[2:]
    assert rows, "no font at all"
    for row in rows:
        columns = row.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, generation
        assert columns[-5] == "yes", row
        assert "DejaVuSans" in columns[0], row
        assert not any(base in columns[0] for base in BASE_14), row


@needs("pdftoppm", "zbarimg")
@pytest.mark.parametrize("mode", list(Mode))
def test_the_qr_code_decodes_to_the_verification_url(
    make_document: MakeDocument, tmp_path: Path, mode: Mode
) -> None:
    path = write(tmp_path, make_document(mode=mode))
    run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", path, tmp_path / "p")
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "p.png")], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == VERIFY_URL


@needs("pdftotext")
def test_bilingual_prints_french_then_english(make_document: MakeDocument, tmp_path: Path) -> None:
    text = flat(run("pdftotext", write(tmp_path, make_document(mode=Mode.BILINGUAL)), "-"))
    positions = [
        text.index(TITLE.get("fr")),
        text.index(TITLE.get("en")),
        text.index(flat(STATEMENT.get("fr"))),
        text.index(flat(STATEMENT.get("en"))),
    ]
    assert positions[0] < positions[1]
    assert positions[2] < positions[3]
    assert "21 novembre 2026" in text
    assert "November 21, 2026" in text
    assert text.index("21 novembre 2026") < text.index("November 21, 2026")


@pytest.mark.parametrize(
    ("mode", "title", "absent"),
    [(Mode.FR, TITLE.get("fr"), TITLE.get("en")), (Mode.EN, TITLE.get("en"), TITLE.get("fr"))],
)
def test_one_language_prints_only_that_language(
    make_document: MakeDocument, mode: Mode, title: str, absent: str
) -> None:
    text = pypdf_text(render_certificate_pdf(make_document(mode=mode)))
    assert title in text
    assert absent not in text


def test_dates_follow_the_locale_and_expiry_is_printed(make_document: MakeDocument) -> None:
    document = make_document(mode=Mode.BILINGUAL, expires_on=date(2029, 11, 1))
    text = pypdf_text(render_certificate_pdf(document))
    assert "Délivrée par Unité de soutien SRAP du Québec le 21 novembre 2026" in text
    assert "valide jusqu’au 1er novembre 2029" in text
    assert "Issued by Quebec SPOR SUPPORT Unit on November 21, 2026" in text
    assert "valid until November 1, 2029" in text


def test_the_learning_time_is_printed_in_each_language(make_document: MakeDocument) -> None:
    text = pypdf_text(
        render_certificate_pdf(make_document(mode=Mode.BILINGUAL, duration_minutes=390))
    )
    assert "Durée de la formation : 6,5 heures" in text.replace("\u00a0", " ")
    assert "Learning time: 6.5 hours" in text


def test_a_certificate_issued_without_a_recorded_time_prints_none(
    make_document: MakeDocument,
) -> None:
    text = pypdf_text(render_certificate_pdf(make_document(mode=Mode.BILINGUAL)))
    assert "Durée" not in text
    assert "Learning time" not in text


@pytest.mark.parametrize(
    ("minutes", "french", "english"),
    [
        (10, "0,5 heure", "0.5 hours"),
        (60, "1 heure", "1 hour"),
        (75, "1,5 heure", "1.5 hours"),
        (135, "2,5 heures", "2.5 hours"),
        (390, "6,5 heures", "6.5 hours"),
    ],
)
def test_format_hours_rounds_to_the_half_hour(minutes: int, french: str, english: str) -> None:
    assert format_hours(minutes, "fr").replace("\u00a0", " ") == french
    assert format_hours(minutes, "en").replace("\u00a0", " ") == english


def test_format_day() -> None:
    assert format_day(date(2026, 11, 21), "fr") == "21 novembre 2026"
    assert format_day(date(2026, 11, 1), "fr") == "1er novembre 2026"
    assert format_day(date(2026, 11, 1), "en") == "November 1, 2026"


def test_the_same_document_gives_the_same_bytes(make_document: MakeDocument) -> None:
    document = make_document(mode=Mode.BILINGUAL, holder_name="Nguyễn Thị Minh")
    assert render_certificate_pdf(document) == render_certificate_pdf(document)


def test_where_the_fonts_live_does_not_change_the_bytes(
    make_document: MakeDocument, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "fonts"
    shutil.copytree(FONTS_DIR, elsewhere)
    document = make_document(mode=Mode.BILINGUAL)
    moved = replace(document, fonts_dir=elsewhere)
    assert render_certificate_pdf(moved) == render_certificate_pdf(document)


def test_the_same_document_gives_the_same_bytes_in_another_process(
    make_document: MakeDocument, signature_image: Path
) -> None:
    document = make_document(mode=Mode.BILINGUAL)
    script = (
        "import hashlib, sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from lms.certificates.pdf import CertificateDocument, Mode, render_certificate_pdf\n"
        "from lms.content.model import Localized, Signatory\n"
        f"doc = CertificateDocument(holder_name={document.holder_name!r},"
        f" title=Localized.of({dict(document.title.values)!r}),"
        f" statement=Localized.of({dict(document.statement.values)!r}),"
        f" issuer_name=Localized.of({dict(document.issuer_name.values)!r}),"
        f" issued_on=date(2026, 11, 21), expires_on=None, code={document.code!r},"
        f" verify_url={document.verify_url!r}, mode=Mode.BILINGUAL,"
        f" signatories=(Signatory('Marie-Ève Tremblay', Localized.of("
        f"{dict(document.signatories[0].title.values)!r}), Path({str(signature_image)!r})),),"
        f" logo=Path({str(LOGO)!r}))\n"
        "print(hashlib.sha256(render_certificate_pdf(doc)).hexdigest())\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True
    )
    assert other.stdout.strip() == hashlib.sha256(render_certificate_pdf(document)).hexdigest()


def test_metadata_is_set_and_dated_the_day_of_issue(make_document: MakeDocument) -> None:
    reader = PdfReader(io.BytesIO(render_certificate_pdf(make_document())))
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == f"{TITLE.get('fr')} – Émilie Grenier"
    assert metadata.author == "Unité de soutien SRAP du Québec"
    assert metadata.subject == f"Émilie Grenier {french_spaces(STATEMENT.get('fr'))}"
    assert metadata.creation_date == datetime(2026, 11, 21, tzinfo=UTC)
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape


def test_no_clock_reaches_the_file(make_document: MakeDocument) -> None:
    # Creation and modification dates are the issue date, whatever today is.
    dates = re.findall(rb"D:(\d{8})", render_certificate_pdf(make_document()))
    assert dates
    assert set(dates) == {b"20261121"}


def test_signature_images_are_drawn(make_document: MakeDocument) -> None:
    signed = make_document()
    unsigned = make_document(
        signatories=tuple(replace(s, signature=None) for s in signed.signatories)
    )
    with_image = PdfReader(io.BytesIO(render_certificate_pdf(signed))).pages[0].images
    without = PdfReader(io.BytesIO(render_certificate_pdf(unsigned))).pages[0].images
    assert len(with_image) == len(without) + 1


@needs("pdftotext")
@pytest.mark.parametrize("mode", list(Mode))
def test_long_texts_shrink_and_wrap_inside_the_frame(
    make_document: MakeDocument, tmp_path: Path, mode: Mode
) -> None:
    document = make_document(
        mode=mode,
        holder_name="Wolfeschlegelsteinhausenbergerdorff-Nguyễn Papadopoulou " * 3,
        title=Localized.of({"fr": "Un titre très long " * 12, "en": "A very long title " * 12}),
        statement=Localized.of(
            {"fr": "a complété une longue formation. " * 40, "en": "has completed it. " * 50}
        ),
        issuer_name=Localized.plain("Un organisme au nom interminable " * 4),
        verify_url="https://a-long-host.example.org/" + "path/" * 12 + CODE,
        signatories=make_document().signatories * 3,
    )
    bbox = run("pdftotext", "-bbox", write(tmp_path, document), "-")
    words = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', bbox
    )
    assert len(words) > 100
    for x_min, y_min, x_max, y_max, word in words:
        # The inner frame is 25 pt inside the 792 x 612 pt page.
        assert float(x_min) > 25, word
        assert float(x_max) < 767, word
        assert float(y_min) > 25, word
        assert float(y_max) < 587, word


def test_document_for_takes_the_definition_texts_and_mode_for_the_language() -> None:
    definition = CertificateDefinition(
        id="por-101",
        title=TITLE,
        requires=("por-101",),
        statement=STATEMENT,
        issuer=Issuer(Localized.plain("Parcours"), "https://example.org"),
        signatories=(),
        logo=LOGO,
        valid_for_days=None,
        bilingual=False,
        path=ROOT / "certificates" / "por-101.yaml",
        version="v1",
    )
    assert mode_for(definition, "en") is Mode.EN
    assert mode_for(definition, "fr") is Mode.FR
    assert mode_for(definition, "de") is Mode.FR
    bilingual = replace(definition, bilingual=True)
    assert mode_for(bilingual, "en") is Mode.BILINGUAL
    document = document_for(
        definition,
        holder_name="Émilie Grenier",
        issued_on=date(2026, 11, 21),
        expires_on=None,
        code=CODE,
        verify_url=VERIFY_URL,
        mode=Mode.EN,
    )
    assert document.title == TITLE
    assert document.issuer_name.get("en") == "Parcours"
    assert document.logo == LOGO
    assert TITLE.get("en") in pypdf_text(render_certificate_pdf(document))


def test_a_signatory_with_only_a_role_prints_the_role_alone(make_document: MakeDocument) -> None:
    role = Localized.of(
        {
            "fr": "Direction scientifique – Renforcement des capacités",
            "en": "Scientific direction – Capacity building",
        }
    )
    document = make_document(mode=Mode.BILINGUAL, signatories=(Signatory(None, role, None),))
    text = pypdf_text(render_certificate_pdf(document))
    assert "Direction scientifique – Renforcement des capacités" in text
    assert "Scientific direction – Capacity building" in text
    assert "Marie-Ève Tremblay" not in text


def test_a_french_title_never_breaks_inside_its_guillemets(
    make_document: MakeDocument, tmp_path: Path
) -> None:
    # Typed with ordinary spaces, as authors do (and as certificates issued before French
    # typography stored them): every « and » is a place where a careless wrap would break.
    quoted = "« partenariat » et « patient » : "
    document = make_document(
        title=Localized.of({"fr": "Formation " + quoted * 4, "en": "Training"}),
        statement=Localized.of({"fr": "a réussi la formation « " + "parcours » " * 20}),
    )

    text = run("pdftotext", write(tmp_path, document), "-")
    lines = [line.strip() for line in text.splitlines() if line.strip()]

    assert len([line for line in lines if "«" in line]) >= 3, "the texts must wrap to test this"
    for line in lines:
        assert not line.endswith("«"), line
        assert not line.startswith(("»", ":")), line
