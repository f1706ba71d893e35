from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "xiaobao.knowledge"
    verbose_name = "咨询知识库"
