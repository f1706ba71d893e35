"""The shipped DOCX templates, and an administrator's replacement uploaded through the admin."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as Docx

from tests.documents import flows
from xiaobao.documents.admin import DocumentTemplateForm
from xiaobao.documents.models import DocumentTemplate, DocumentType
from xiaobao.documents.rendering import shipped_template
from xiaobao.documents.templates_src import build


def test_every_type_has_a_shipped_template_and_the_build_script_makes_the_same_set(tmp_path):
    assert all(shipped_template(t).is_file() for t in DocumentType.values)
    built = build.build(tmp_path)
    assert sorted(p.name for p in built) == sorted(f"{t}.docx" for t in DocumentType.values)
    for path in built:
        text = "\n".join(p.text for p in Docx(path).paragraphs)
        shipped = "\n".join(p.text for p in Docx(shipped_template(path.stem)).paragraphs)
        assert text == shipped, f"{path.name} differs from the build script's output: run build.py"


def _docx(*lines: str) -> bytes:
    doc = Docx()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@time_machine.travel(flows.FROZEN, tick=False)
def test_an_uploaded_template_replaces_the_shipped_one_for_its_type(api, media):
    upload = SimpleUploadedFile("notice.docx", _docx("本局自制模板 {{ d.number }} {{ d.bureau_name }}"))
    form = DocumentTemplateForm(data={"type": "acceptance_notice", "note": "局办公室修订"},
                                files={"docx": upload})
    assert form.is_valid(), form.errors
    form.save()
    assert (media / "document_templates").is_dir()
    doc = flows.issue(api, flows.accepted(api), "acceptance_notice")
    text = flows.docx_text(flows.download(api, doc["id"], "docx").content)
    assert text == flows.flat(f"本局自制模板 {doc['number']} {flows.BUREAU}")

    DocumentTemplate.objects.all().delete()
    text = flows.docx_text(flows.download(api, doc["id"], "docx").content)
    assert "决定予以受理" in text


def test_a_template_that_cannot_render_is_refused(bureau, media):
    upload = SimpleUploadedFile("broken.docx", _docx("{{ d.number "))
    form = DocumentTemplateForm(data={"type": "acceptance_notice"}, files={"docx": upload})
    assert not form.is_valid()
    not_docx = SimpleUploadedFile("x.docx", b"not a zip")
    assert not DocumentTemplateForm(data={"type": "acceptance_notice"}, files={"docx": not_docx}).is_valid()
    assert not DocumentTemplate.objects.exists()
