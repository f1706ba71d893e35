"""Load the shipped rule sets and categories (used by migrations and by administrators' reloads)."""

from datetime import date


def load_rule_sets(RuleSet, rule_sets: list[dict]) -> None:
    for rs in rule_sets:
        RuleSet.objects.update_or_create(
            code=rs["code"],
            defaults={
                "family": rs["family"], "name": rs["name"], "basis": rs["basis"], "data": rs["data"],
                "effective_from": date.fromisoformat(rs["effective_from"]),
            },
        )


def load_categories(Category, categories: list[tuple]) -> None:
    for sort, (code, name, kind, section, food_drug) in enumerate(categories):
        Category.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "section_code": section, "food_drug_safety": food_drug,
                      "sort": sort},
        )
