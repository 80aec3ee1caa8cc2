from django.contrib import admin
from django.contrib.auth.models import Group

# Users and roles are administered on the platform's own pages (/accounts/users/), where every
# change is audited; permission groups are not used (roles decide, see docs/permissions.md).
admin.site.unregister(Group)
