from django.conf import settings
from django.db import models


class SavedSearch(models.Model):
    """A user's named filter of the item list (issue 10: saved searches)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField("名称", max_length=40)
    query = models.CharField("筛选条件", max_length=400)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_saved_search_name_per_owner")]
        verbose_name = verbose_name_plural = "常用筛选"

    def __str__(self) -> str:
        return self.name
