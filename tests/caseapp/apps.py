from django.apps import AppConfig


class CaseappConfig(AppConfig):
    name = "tests.caseapp"
    label = "caseapp"
