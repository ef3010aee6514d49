from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustrySection(models.TextChoices):
    """GB/T 4754-2017 国民经济行业分类, the 20 sections (门类)."""

    A = "A", _("A agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B mining")
    C = "C", _("C manufacturing")
    D = "D", _("D electricity, heat, gas and water supply")
    E = "E", _("E construction")
    F = "F", _("F wholesale and retail")
    G = "G", _("G transport, storage and post")
    H = "H", _("H accommodation and catering")
    I = "I", _("I information technology services")  # noqa: E741
    J = "J", _("J finance")
    K = "K", _("K real estate")
    L = "L", _("L leasing and business services")
    M = "M", _("M research and technical services")
    N = "N", _("N water, environment and public facilities")
    O = "O", _("O residential and repair services")  # noqa: E741
    P = "P", _("P education")
    Q = "Q", _("Q health and social work")
    R = "R", _("R culture, sports and entertainment")
    S = "S", _("S public administration")
    T = "T", _("T international organisations")


class Scale(models.TextChoices):
    """Enterprise size classes (统计上大中小微型企业划分办法)."""

    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")
