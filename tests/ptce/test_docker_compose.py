import gc
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from ptce import gunicorn as gunicorn_settings

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())


def _makefile_command(name: str) -> str:
    match = re.search(rf"^{name} := (.+)$", (PROJECT_DIR / "Makefile").read_text(), re.MULTILINE)
    assert match, f"{name} missing from the Makefile"
    return match.group(1).strip()


def test_compose_file_defines_the_five_services_with_healthchecks():
    services = _compose()["services"]

    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name, service in services.items():
        assert "healthcheck" in service, name


def test_published_ports_are_bound_to_localhost_only():
    for name, service in _compose()["services"].items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), (name, port)


def test_app_services_read_their_environment_from_dotenv():
    services = _compose()["services"]

    for name in ("web", "worker", "beat"):
        assert services[name]["env_file"] == ".env"


def test_compose_runs_the_same_commands_as_the_makefile():
    services = _compose()["services"]

    assert f"exec {_makefile_command('WEB_CMD')}" in services["web"]["command"]
    assert services["worker"]["command"] == _makefile_command("WORKER_CMD")
    assert services["beat"]["command"] == _makefile_command("BEAT_CMD")


def test_the_web_command_loads_its_gunicorn_settings_and_the_application():
    arguments = shlex.split(_makefile_command("WEB_CMD"))
    assert arguments[0] == "gunicorn"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    # --check-config loads the settings module (python:ptce.gunicorn) and, with preload_app, the application.
    result = subprocess.run(
        [str(gunicorn), *arguments[1:], "--check-config"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert gunicorn_settings.preload_app is True


def test_the_application_objects_are_frozen_before_the_workers_fork():
    gc.unfreeze()
    try:
        gunicorn_settings.when_ready(server=None)

        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_gunicorn_parses_requests_with_its_c_parser():
    from gunicorn.config import Config
    from gunicorn.http.message import _check_fast_parser  # how gunicorn chooses, at each request

    config = Config()
    for name, value in vars(gunicorn_settings).items():
        if name in config.settings:  # as gunicorn loads python:ptce.gunicorn
            config.set(name, value)

    assert _check_fast_parser(config) is True
