#!/usr/bin/env python3
"""council-ldif.py: the example council (config/directory.conf) as LDIF for
a private slapd (tests/ldap.sh), in one of two layouts:

  ad        users (objectClass user, proxyAddresses with SMTP:/smtp:,
            displayName, title) and groups (objectClass group, member,
            mail) as Active Directory holds them
  openldap  inetOrgPerson entries and groupOfNames groups

Members' offices (offices= in the key file) become a group per office,
cn=office-NAME (office-group-NAME in council-milter.conf), except the
cabinet, whose list is its group.

Options add what a case needs: --officers N generated officers,
--members N generated councillors, --extra-member NAME a councillor
more, --loop two groups that contain each other, --empty-group NAME a
group with nobody in it.
"""
import argparse
import configparser

BASE = "dc=northmoor,dc=gov,dc=uk"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("directory")
    ap.add_argument("--layout", choices=["ad", "openldap"], required=True)
    ap.add_argument("--officers", type=int, default=0)
    ap.add_argument("--extra-member", action="append", default=[])
    ap.add_argument("--loop", action="store_true")
    ap.add_argument("--empty-group", action="append", default=[])
    ap.add_argument("--members", type=int, default=0, help="generated members")
    args = ap.parse_args()
    cp = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    cp.optionxform = str
    cp.read(args.directory, encoding="utf-8")
    ad = args.layout == "ad"
    out = []
    out.append(f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: northmoor\no: Northmoor\n")
    for ou in ("People", "Groups"):
        out.append(f"dn: ou={ou},{BASE}\nobjectClass: organizationalUnit\nou: {ou}\n")

    people = []  # (name, role, addresses, title)
    offices = {}  # office -> names of the members who hold it
    for section in cp.sections():
        if ":" not in section:
            continue
        kind, name = section.split(":", 1)
        if kind not in ("member", "officer"):
            continue
        addresses = [a.strip() for a in cp[section].get("addresses", "").split(";") if a.strip()]
        people.append((name, kind, addresses, cp[section].get("title")))
        for office in cp[section].get("offices", "").split(";"):
            if office.strip():
                offices.setdefault(office.strip(), []).append(name)
    for name in args.extra_member:
        slug = name.lower().replace(" ", ".")
        people.append((name, "member", [f"cllr.{slug}@northmoor.gov.uk"], None))
    for i in range(args.members):
        people.append((f"Generated Member{i}", "member", [f"cllr.gen{i}@northmoor.gov.uk"], None))
    for i in range(args.officers):
        people.append((f"Officer{i} Surname{i}", "officer", [f"officer{i}@northmoor.gov.uk"],
                       f"Officer Number {i}"))

    dns = {}
    for name, kind, addresses, title in people:
        cn = name.replace(",", "\\,")
        dn = f"cn={cn},ou=People,{BASE}"
        dns[name] = dn
        words = name.split()
        entry = [f"dn: {dn}"]
        if ad:
            entry += ["objectClass: user", "objectCategory: person", "userAccountControl: 512"]
        else:
            entry += ["objectClass: inetOrgPerson"]
        entry += [f"cn: {name}", f"sn: {words[-1]}", f"displayName: {name}", f"mail: {addresses[0]}"]
        if ad:
            entry.append(f"proxyAddresses: SMTP:{addresses[0]}")
            entry += [f"proxyAddresses: smtp:{a}" for a in addresses[1:]]
            entry.append(f"proxyAddresses: X500:/o=Northmoor/cn={words[-1]}")
        else:
            entry += [f"mail: {a}" for a in addresses[1:]]
        if title:
            entry.append(f"title: {title}")
        out.append("\n".join(entry) + "\n")

    group_class = "group" if ad else "groupOfNames"

    def group(cn, mail, members):
        entry = [f"dn: cn={cn},ou=Groups,{BASE}", f"objectClass: {group_class}"]
        if not ad:
            # groupOfNames has no mail.  The objectClass values must be
            # one run of lines: slapadd takes a second run as another
            # attribute and then finds no structural class.
            entry.append("objectClass: extensibleObject")
        entry.append(f"cn: {cn}")
        if mail:
            entry.append(f"mail: {mail}")
        # groupOfNames must have a member: an empty one holds itself.
        entry += [f"member: {m}" for m in members] or ([] if ad else [f"member: cn={cn},ou=Groups,{BASE}"])
        out.append("\n".join(entry) + "\n")

    def gdn(cn):
        return f"cn={cn},ou=Groups,{BASE}"

    members = [dns[n] for n, kind, _, _ in people if kind == "member"]
    # The members group: the cabinet nested in it, the others directly.
    cabinet = [dns[n] for n in ("Raj Patel", "Susan Clarke")]
    group("Councillors", None, [gdn("Cabinet")] + [m for m in members if m not in cabinet])
    for section in cp.sections():
        if section.startswith("list:"):
            name = section.split(":", 1)[1]
            mail = cp[section].get("addresses", "").split(";")[0].strip()
            refs = [r.strip() for r in cp[section].get("members", "").split(";") if r.strip()]
            group(name.capitalize() if name == "cabinet" else name, mail,
                  [dns[r] if r in dns else gdn(r.capitalize() if r == "cabinet" else r) for r in refs])
    for office, holders in offices.items():
        if office != "cabinet":
            group(f"office-{office}", None, [dns[n] for n in holders])
    for name in args.empty_group:
        group(name, None, [])
    if args.loop:
        group("loop-a", "loop-a@northmoor.gov.uk", [gdn("loop-b"), dns["Tom Baker"]])
        group("loop-b", "loop-b@northmoor.gov.uk", [gdn("loop-a")])
    print("\n".join(out))


if __name__ == "__main__":
    main()
