from tests.workflow.harness import workflow  # noqa: F401 - the fixture of these tests
