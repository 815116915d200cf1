"""One demo account per kind of user, all with the password "chibo-demo"."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from chibo.models import Role
from chibo.models import RoleKind as R

from .base import PASSWORD, Demo
from .committees import CADRE_TAG
from .organizations import ROOTS


@dataclass(frozen=True)
class Account:
    username: str
    roles: tuple[tuple[str, str], ...]  # (role kind, organization code)
    member_tag: str = ""  # the account belongs to this roster member
    name: str = ""  # for accounts without a member
    superuser: bool = False


ACCOUNTS = [
    Account(
        "admin", tuple((R.ADMIN, code) for code in ROOTS), name="Trần Minh Tuấn", superuser=True
    ),
    # The "district office" no longer exists: since 01/07/2025 Mai Sơn's
    # communes sit directly under the province, so the province node is the
    # smallest one whose subtree still shows all of them.
    Account("staff", ((R.STAFF, "tinh-son-la"),), name="Hoàng Thị Thu Hà"),
    # Holds a seat on Cò Nòi's standing committee (formerly Mai Sơn's BTV).
    Account("cadre", ((R.CADRE, "xa-co-noi"),), member_tag=CADRE_TAG),
    Account("secretary", ((R.SECRETARY, "cb-ban-lech"),), member_tag="cb-ban-lech:secretary"),
    Account("answerer", ((R.ANSWERER, "xa-co-noi"),), name="Lường Văn Thoan"),
]


def build(demo: Demo) -> None:
    User = get_user_model()
    for account in ACCOUNTS:
        member = demo.member(account.member_tag) if account.member_tag else None
        user, created = User.objects.get_or_create(username=account.username)
        if created:
            # get_full_name() joins first and last name: keep the Vietnamese
            # order (family, middle, given) by putting the given name last.
            family_middle, _, given = (member.full_name if member else account.name).rpartition(" ")
            user.first_name, user.last_name = family_middle, given
            user.is_superuser = user.is_staff = account.superuser
            # An address, so the notifications reach the demo's people too
            # (`make run` prints the e-mails on the console).
            user.email = f"{account.username}@demo.chibo.vn"
            user.set_password(PASSWORD)
            user.save()
            demo.created["users"] += 1
        if member is not None and member.user_id is None:
            member.user = user
            member.save()
        for kind, code in account.roles:
            _, new_role = Role.objects.get_or_create(
                user=user, organization=demo.org(code), kind=kind
            )
            demo.created["roles"] += new_role
