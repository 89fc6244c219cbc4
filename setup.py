"""Install the TeleCoop addons into an Odoo 19.0 environment.

``pip install .`` makes them importable as ``odoo.addons.telecoop_*`` (Odoo finds
them without an addons path); each addon folder also works from an addons path.
"""

import ast
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).parent
ADDONS = ["telecoop_membership", "telecoop_mobile_billing", "telecoop_agm"]
DATA = ["*.xml", "*.csv", "*.po", "*.pot", "*.md", "*.png", "*.svg", "*.js", "*.scss", "*.css"]

packages, package_dir, package_data = [], {}, {}
for addon in ADDONS:
    manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
    assert manifest["installable"], addon
    for init in sorted((ROOT / addon).rglob("__init__.py")):
        rel = init.parent.relative_to(ROOT)
        package = "odoo.addons." + ".".join(rel.parts)
        packages.append(package)
        package_dir[package] = str(rel)
    folders = {p.parent for p in (ROOT / addon).rglob("*") if p.is_file()}
    package_data["odoo.addons." + addon] = sorted(
        str(folder.relative_to(ROOT / addon) / pattern)
        for folder in folders
        for pattern in DATA
        if any(folder.glob(pattern))
    )

setup(
    name="odoo-addons-telecoop",
    version="19.0.1.0.0",
    description="Odoo 19 addons for cooperative operators: shares, usage-based mobile "
    "billing, general assemblies",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    install_requires=[
        "odoo>=19.0a,<19.1dev",
        "odoo-addon-queue_job>=19.0,<19.1",
        "odoo-addon-account_banking_sepa_direct_debit>=19.0,<19.1",
        "lxml",
        "requests",
    ],
    zip_safe=False,
)
