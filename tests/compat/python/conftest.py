"""A fresh embedded portal (HTTPS, in memory, seeded) for each test module.

The portal is started with its fixed command line (docs/PORTAL-API.md, "portal-emulator serve");
the test talks to it with Esri's `arcgis` package, changing nothing but the URL.
"""
import os
import subprocess
import warnings

import pytest

ADMIN = "compat_admin"
ADMIN_PASSWORD = "Compat-pass-1"
DEMO_PASSWORD = "demo-password-1"

warnings.filterwarnings("ignore")


def _binary():
    path = os.environ.get("PORTAL_EMULATOR")
    if not path or not os.path.exists(path):
        raise RuntimeError("set PORTAL_EMULATOR to the portal-emulator binary (tests/compat/run.sh does)")
    return path


def serve(tmp_path_factory, *extra):
    """Starts `portal-emulator serve --tls` with `extra` arguments; yields its base URL
    (https://127.0.0.1:PORT) and stops it afterwards."""
    cert = tmp_path_factory.mktemp("portal") / "cert.pem"
    proc = subprocess.Popen(
        [
            _binary(), "serve", "--tls", "--cert-out", str(cert), "--data", ":memory:",
            "--admin", f"{ADMIN}:{ADMIN_PASSWORD}", "--seed-users", "150", *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline().strip()
    if "listening on" not in line:
        proc.kill()
        raise RuntimeError(f"portal-emulator did not start: {line!r}")
    rest = line.split("listening on ", 1)[1]
    yield rest[: -len("/sharing/rest")]
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """The ArcGIS Online profile (the default)."""
    yield from serve(tmp_path_factory)


@pytest.fixture(scope="module")
def gis(portal):
    from arcgis.gis import GIS

    return GIS(portal, ADMIN, ADMIN_PASSWORD, verify_cert=False)
