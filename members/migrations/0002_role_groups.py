"""Create the groups that carry the coordinator and partner roles, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "coordinators": ["coordinate_pole"],
    "partners": ["read_as_partner"],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after migrate; the groups need them now.
    members_config = apps.get_app_config("members")
    members_config.models_module = True  # the historical app stub lacks it; create_permissions checks it
    create_permissions(members_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="members", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
