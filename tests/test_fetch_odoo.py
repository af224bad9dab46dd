"""tools/fetch_odoo.sh: the pinned Odoo release is checked against its sha1 before it is installed.

No internet here: a small .deb with the layout of Odoo's Debian package is built with
``dpkg-deb --build`` and served through a ``file://`` URL, with the same commands prepare.sh runs.
Needs no database.
"""

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "fetch_odoo.sh"
PREPARE = ROOT / "tools" / "prepare.sh"
MANIFEST = "{'name': 'Base', 'version': '18.0.1.3'}\n"
LAUNCHER = "#!/usr/bin/python3\nimport odoo\n\nif __name__ == '__main__':\n    odoo.cli.main()\n"


@pytest.fixture(scope="module")
def fake_deb(tmp_path_factory):
    """A .deb laid out as Odoo's: the package in dist-packages, setup/odoo as /usr/bin/odoo."""
    root = tmp_path_factory.mktemp("deb") / "odoo_18.0.test_all"
    base = root / "usr/lib/python3/dist-packages/odoo/addons/base"
    base.mkdir(parents=True)
    (base / "__manifest__.py").write_text(MANIFEST)
    (root / "usr/lib/python3/dist-packages/odoo/__init__.py").write_text("")
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/odoo").write_text(LAUNCHER)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN/control").write_text(
        "Package: odoo\nVersion: 18.0.0\nArchitecture: all\n"
        "Maintainer: Test <test@example.com>\nDescription: fake Odoo for tests\n"
    )
    deb = root.parent / "odoo_18.0.test_all.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "--build", str(root), str(deb)],
        check=True,
        capture_output=True,
    )
    return deb, hashlib.sha1(deb.read_bytes()).hexdigest()


def _run(dest, url=None, sha1=None, path=None, script=SCRIPT, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSA_ODOO_DEB_")}
    env["ODOO_SRC"] = str(dest)
    if url is not None:
        env["PSA_ODOO_DEB_URL"] = url
    if sha1 is not None:
        env["PSA_ODOO_DEB_SHA1"] = sha1
    if path:
        env["PATH"] = path
    env.update(extra)
    return subprocess.run(
        ["bash", str(script)], env=env, capture_output=True, text=True, timeout=120
    )


def _assert_installed(dest, sha1):
    assert (dest / "odoo/addons/base/__manifest__.py").read_text() == MANIFEST
    assert (dest / "odoo/__init__.py").exists()
    assert (dest / "odoo-bin").read_text() == LAUNCHER
    assert os.access(dest / "odoo-bin", os.X_OK)
    assert f"sha1={sha1}" in (dest / ".psa-odoo-release").read_text()
    # Only the Odoo package and the launcher, and no temporary folder left next to it.
    assert sorted(p.name for p in dest.iterdir()) == [".psa-odoo-release", "odoo", "odoo-bin"]
    assert not list(dest.parent.glob(".odoo-src-download.*"))


def test_installs_with_the_right_sha1(fake_deb, tmp_path):
    deb, sha1 = fake_deb
    dest = tmp_path / "odoo-src" / "18.0"
    result = _run(dest, deb.as_uri(), sha1)
    assert result.returncode == 0, result.stderr
    _assert_installed(dest, sha1)


def test_installs_into_an_empty_folder(fake_deb, tmp_path):
    deb, sha1 = fake_deb
    dest = tmp_path / "18.0"
    dest.mkdir()
    result = _run(dest, deb.as_uri(), sha1)
    assert result.returncode == 0, result.stderr
    _assert_installed(dest, sha1)


def test_wrong_sha1_refuses_and_installs_nothing(fake_deb, tmp_path):
    deb, sha1 = fake_deb
    wrong = ("0" if sha1[0] != "0" else "1") + sha1[1:]
    dest = tmp_path / "odoo-src" / "18.0"
    result = _run(dest, deb.as_uri(), wrong)
    assert result.returncode != 0
    assert "checksum mismatch" in result.stderr
    assert f"expected sha1 {wrong}, got {sha1}" in result.stderr
    assert not dest.exists()
    assert not list(dest.parent.glob(".odoo-src-download.*"))


def test_prepare_stops_on_a_wrong_sha1_before_anything_else(fake_deb, tmp_path):
    """prepare.sh goes through the same check, and stops there (no venv, no database)."""
    deb, sha1 = fake_deb
    wrong = ("0" if sha1[0] != "0" else "1") + sha1[1:]
    dest = tmp_path / "odoo-src" / "18.0"
    result = _run(dest, deb.as_uri(), wrong, script=PREPARE)
    assert result.returncode != 0
    assert "checksum mismatch" in result.stderr
    assert not dest.exists()


def test_prepare_without_download_says_where_to_put_odoo(tmp_path):
    dest = tmp_path / "none"
    result = _run(dest, script=PREPARE, PSA_DOWNLOAD_ODOO="0")
    assert result.returncode != 0
    assert f"Odoo 18.0 source not found in {dest}" in result.stderr
    assert not dest.exists()


def test_unpacks_without_dpkg_deb(fake_deb, tmp_path):
    """Where dpkg-deb is absent, ar and tar unpack the same files."""
    deb, sha1 = fake_deb
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in ("/usr/local/bin", "/usr/bin", "/bin"):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            link = bin_dir / name
            if name != "dpkg-deb" and not link.exists():
                link.symlink_to(Path(folder) / name)
    assert shutil.which("dpkg-deb", path=str(bin_dir)) is None
    assert shutil.which("ar", path=str(bin_dir)), "binutils' ar is needed for this path"
    dest = tmp_path / "odoo-src" / "18.0"
    result = _run(dest, deb.as_uri(), sha1, path=str(bin_dir))
    assert result.returncode == 0, result.stderr
    _assert_installed(dest, sha1)


def test_layout_checked(tmp_path):
    """A package without Odoo's layout is refused even when its checksum matches."""
    root = tmp_path / "other"
    (root / "DEBIAN").mkdir(parents=True)
    (root / "usr/share/doc/other").mkdir(parents=True)
    (root / "usr/share/doc/other/README").write_text("not odoo\n")
    (root / "DEBIAN/control").write_text(
        "Package: other\nVersion: 1.0\nArchitecture: all\n"
        "Maintainer: Test <test@example.com>\nDescription: not odoo\n"
    )
    deb = tmp_path / "other.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "--build", str(root), str(deb)],
        check=True,
        capture_output=True,
    )
    dest = tmp_path / "src"
    result = _run(dest, deb.as_uri(), hashlib.sha1(deb.read_bytes()).hexdigest())
    assert result.returncode != 0
    assert "does not hold Odoo's layout" in result.stderr
    assert not dest.exists()


def test_url_and_sha1_only_together(fake_deb, tmp_path):
    deb, _sha1 = fake_deb
    dest = tmp_path / "src"
    result = _run(dest, url=deb.as_uri())
    assert result.returncode != 0
    assert "PSA_ODOO_DEB_URL and PSA_ODOO_DEB_SHA1 together" in result.stderr
    assert not dest.exists()


def test_official_pin():
    """The default is the release Odoo S.A.'s Docker image pins, on Odoo's nightly server."""
    out = subprocess.run(
        ["bash", "-c", f'source "{ROOT}/tools/common.sh"; echo "$ODOO_DEB_URL $ODOO_DEB_SHA1"'],
        env={k: v for k, v in os.environ.items() if not k.startswith("PSA_ODOO_DEB_")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == [
        "https://nightly.odoo.com/18.0/nightly/deb/odoo_18.0.20250819_all.deb",
        "25daea677dc7b60cc25ec1eebd16d1c8e3f77a8a",
    ]
    assert re.search(r"odoo/docker.*18\.0/Dockerfile", (ROOT / "tools/common.sh").read_text())
