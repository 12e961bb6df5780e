"""The native API's OpenAPI document: valid, and a property-based fuzz run finds nothing that breaks it."""
import subprocess
import sys

import requests
from openapi_spec_validator import validate

from tests.helpers import thai_case

CHECKS = ",".join(["not_a_server_error", "status_code_conformance", "content_type_conformance",
                   "response_headers_conformance", "response_schema_conformance", "unsupported_method"])


def test_the_document_validates_and_describes_every_native_route(embedded):
    document = requests.get(f"{embedded.base}/api/v1/openapi.json", timeout=10).json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/api/v1/cases", "/api/v1/cases/{tracking_number}",
                                      "/api/v1/cases/{tracking_number}/lookup",
                                      "/api/v1/cases/{tracking_number}/complainant",
                                      "/api/v1/cases/{tracking_number}/rating",
                                      "/api/v1/cases/{tracking_number}/routing/{action}",
                                      "/api/v1/cases/{tracking_number}/routing/answer",
                                      "/api/v1/cases/{tracking_number}/documents/{document_id}", "/healthz",
                                      "/api/v1/session", "/api/v1/identity-requests",
                                      "/api/v1/identity-requests/{request_id}/{decision}"}
    new_case = document["components"]["schemas"]["NewCase"]
    assert {"channel", "subject", "description"} <= set(new_case["required"])
    assert new_case["properties"]["subject"]["maxLength"] == 200


def test_a_fuzz_run_finds_no_server_error_and_no_response_outside_the_document(embedded, tmp_path):
    assert embedded.post_case(thai_case()).status_code == 201  # something to look up, too
    run = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{embedded.base}/api/v1/openapi.json",
         "--checks", CHECKS, "--max-examples", "150", "--seed", "20261121", "--request-timeout", "20",
         "--generation-deterministic"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "passed" in run.stdout
