"""Issue 16.1: a DOCX template uploaded in the admin must not run code — not at upload, not at any download.

The attack: a template whose placeholder reaches Python through Jinja's globals and runs a shell command that
leaves a file behind. The file's absence proves the command did not run."""

import hashlib
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from docx import Document as Docx

from tests.conftest import PASSWORD
from tests.documents import flows
from xiaobao.documents.models import DocumentTemplate
from xiaobao.records.models import AuditEntry

ADD = "/admin/documents/documenttemplate/add/"


def _docx(*lines: str) -> bytes:
    doc = Docx()
    for line in lines:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin(bureau) -> Client:
    client = Client()
    assert client.post("/login/", {"username": "admin", "password": PASSWORD}).status_code == 302
    return client


def _upload(admin: Client, content: bytes, url: str = ADD, doc_type: str = "acceptance_notice"):
    return admin.post(url, {"type": doc_type, "note": "", "docx": ContentFile(content, name="notice.docx")})


def _shell(marker) -> str:
    return f"{{{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}}}"


def test_a_template_running_a_shell_command_is_refused_at_upload_and_the_command_never_runs(admin, media, tmp_path):
    marker = tmp_path / "pwned"
    r = _upload(admin, _docx("受理通知书", _shell(marker)))
    assert r.status_code == 200  # the form again, with the error at the file field
    html = r.content.decode()
    assert "该模板含有不允许的内容" in html
    assert "“lipsum”" in html and "以下划线开头的属性“__globals__”" in html and "函数或方法调用" in html
    assert not marker.exists()
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize(("payload", "named"), [
    ("{{ cycler.__init__.__globals__.os.system('id') }}", "“cycler”"),
    ("{{ joiner.__init__.__globals__ }}", "“joiner”"),
    ("{% set ns = namespace() %}", "标签 {% set %}"),
    ("{{ self._TemplateReference__context }}", "“self”"),
    ("{{ d.__class__.__mro__ }}", "以下划线开头的属性“__class__”"),
    ("{{ d['__class__'] }}", "以下划线开头的属性“__class__”"),
    ("{{ d|attr('__class__') }}", "过滤器“attr”"),
    ("{{ config.items() }}", "“config”"),
    ("{{ request.environ }}", "“request”"),
    ("{{ d.case.facts.format() }}", "函数或方法调用"),
    ("{{ 'x' * 1000000000 }}", "算术运算"),
    ("{% include 'x' %}", "标签 {% include %}"),
    ("{% macro m() %}{% endmacro %}", "标签 {% macro %}"),
])
def test_each_way_out_of_the_placeholders_is_refused_by_name(admin, media, payload, named):
    r = _upload(admin, _docx("受理通知书", payload))
    assert r.status_code == 200
    assert named in r.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_plain_placeholders_loops_and_conditions_are_accepted(admin, media):
    template = _docx("{{ d.number }} {{ d.case.facts }}", "{% for b in d.basis %}{{ loop.index }}{{ b }}{% endfor %}",
                     "{% if d.case.kind == 'report' and not d.ground %}举报{% else %}投诉{% endif %}",
                     "{{ d.case.demand|default('无') }}")
    r = _upload(admin, template)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert DocumentTemplate.objects.get().type == "acceptance_notice"


@time_machine.travel(flows.FROZEN, tick=False)
def test_a_template_stored_before_the_check_never_runs_at_download(api, media, tmp_path):
    # Written straight to the table, as an upload from before the fix would be.
    marker = tmp_path / "pwned"
    DocumentTemplate.objects.create(type="acceptance_notice",
                                    docx=ContentFile(_docx(_shell(marker)), name="evil.docx"))
    doc = flows.issue(api, flows.accepted(api), "acceptance_notice")
    r = flows.download(api, doc["id"], "docx")
    assert r.status_code == 200
    assert not marker.exists()
    assert "决定予以受理" in flows.docx_text(r.content)  # the shipped template gave the document


def test_every_template_change_is_audited_with_the_old_and_the_new_files_hash(admin, media):
    first, second = _docx("第一版 {{ d.number }}"), _docx("第二版 {{ d.number }}")
    assert _upload(admin, first).status_code == 302
    template = DocumentTemplate.objects.get()
    assert _upload(admin, second, url=f"/admin/documents/documenttemplate/{template.pk}/change/").status_code == 302
    r = admin.post(f"/admin/documents/documenttemplate/{template.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not DocumentTemplate.objects.exists()

    added, changed = AuditEntry.objects.filter(action="change_document_template").order_by("id")
    deleted = AuditEntry.objects.get(action="delete_document_template")
    assert all(e.actor_name == "admin" and e.object == "document_template:acceptance_notice"
               for e in (added, changed, deleted))
    assert added.detail["old_sha256"] is None
    assert added.detail["new_sha256"] == hashlib.sha256(first).hexdigest()
    assert changed.detail["old_sha256"] == hashlib.sha256(first).hexdigest()
    assert changed.detail["new_sha256"] == hashlib.sha256(second).hexdigest()
    assert deleted.detail["old_sha256"] == hashlib.sha256(second).hexdigest() and deleted.detail["new_sha256"] is None
