import subprocess
import sys


def test_engine_imports_without_django():
    code = (
        "import sys, waste_flows.matching; "
        "loaded = [name for name in sys.modules if name == 'django' or name.startswith('django.')]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
