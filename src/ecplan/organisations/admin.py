from django.contrib import admin

from ecplan.organisations.models import Area, Enterprise, Organisation, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["code", "name", "province"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "full_name", "kind", "is_plan_office", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "full_name", "code"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "code", "kind", "parent", "region"]
    list_filter = ["kind", "region"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    list_display = ["name", "credit_code", "area", "zone", "key_unit_class", "is_demo"]
    list_filter = ["area", "key_unit_class", "budget_managed", "is_demo"]
    search_fields = ["name", "credit_code"]
