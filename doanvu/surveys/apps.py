from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class SurveysConfig(AppConfig):
    name = "doanvu.surveys"
    label = "surveys"
    verbose_name = gettext_lazy("Khảo sát chuyên đề")

    def ready(self) -> None:
        from doanvu.audit.registry import register

        from . import models as m
        from . import receivers  # noqa: F401  (documents issued → report obligations submitted)

        register(m.Campaign, unit="unit_id", label="{name}")
        register(m.Theme, unit="campaign__unit_id", label="{title}")
        register(m.Questionnaire, unit="theme__campaign__unit_id", label="{title}")
        register(m.QuestionnaireVersion, unit="questionnaire__theme__campaign__unit_id",
                 label="{questionnaire__title} v{number}")
        register(m.Response, unit="unit_id", label="{unit__name}: {questionnaire__title}")
        # Anonymous answers (AnonymousAnswer) are deliberately NOT audited: an audit record
        # carries its actor and time, which would tie the answer to the person. The marker
        # that a person has answered (Respondent) is audited: it says nothing of the answer.
        register(m.Respondent, unit="questionnaire__theme__campaign__unit_id",
                 label="{questionnaire__title}")
        # A named answer is personal data and audited like any answer, under the person's
        # branch (its readers read the person); the paper tally is a count.
        register(m.NamedAnswer, unit="branch_id",
                 label="{person__full_name}: {questionnaire__title}")
        register(m.PaperTally, unit="branch_id", label="{branch__name}: {questionnaire__title}")
