# slapd.sh: a private slapd for the LDAP tests and the directory benchmark
# (tests/ldap.sh, tests/bench/directory.sh), sourced by them.  The caller
# sets top_srcdir, run (a scratch directory) and slapd_pid= and stops the
# server with stop_slapd; this sets uri, base and the reader's password
# file, and defines start_slapd and config.  With slapd_tls=yes (set by
# the caller before start_slapd) the server also offers TLS: StartTLS on
# uri and ldaps on tls_uri, with a certificate of a throwaway CA made in
# the run directory ($run/tls/ca.pem; $run/tls/other-ca.pem is a second
# CA that did not sign it).  No certificate or key is kept in the tree.
slapd=$(command -v slapd || echo /usr/sbin/slapd)
slapadd=$(command -v slapadd || echo /usr/sbin/slapadd)
stop_slapd () {
    if [ -n "$slapd_pid" ]; then kill "$slapd_pid" 2>/dev/null; wait "$slapd_pid" 2>/dev/null; slapd_pid=; fi
}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
uri=ldap://127.0.0.1:$port/
tls_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tls_uri=ldaps://127.0.0.1:$tls_port/
slapd_tls=${slapd_tls:-no}
base=dc=northmoor,dc=gov,dc=uk
# Passwords made now, never kept in the tree.
admin_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
reader_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$reader_password" > "$run/reader.password"
printf 'not-the-password\n' > "$run/wrong.password"
chmod 600 "$run"/*.password

# A test schema with what the AD layout needs of Active Directory's:
# OIDs under 2.25 (UUID-based, anyone's to use), not Microsoft's.
cat > "$run/ad-like.schema" <<'SCHEMA'
attributetype ( 2.25.31337001.1.1 NAME 'proxyAddresses' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
attributetype ( 2.25.31337001.1.2 NAME 'objectCategory' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 2.25.31337001.1.3 NAME 'userAccountControl' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
objectclass ( 2.25.31337001.2.1 NAME 'user' SUP inetOrgPerson STRUCTURAL
  MAY ( proxyAddresses $ objectCategory $ userAccountControl ) )
objectclass ( 2.25.31337001.2.2 NAME 'group' SUP top STRUCTURAL MUST cn
  MAY ( member $ mail $ proxyAddresses $ displayName ) )
SCHEMA

# make_certs: the throwaway CAs and the server's certificate (for
# 127.0.0.1, the address the tests connect to), made once per run.
make_certs () {
    [ -f "$run/tls/server.pem" ] && return 0
    command -v openssl >/dev/null || { echo "openssl not installed (apt-get install openssl)"; return 1; }
    mkdir -p "$run/tls"
    local ca
    for ca in ca other-ca; do
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$run/tls/$ca.key" -out "$run/tls/$ca.pem" \
            -subj "/CN=council-milter test $ca" -addext basicConstraints=critical,CA:TRUE \
            -addext keyUsage=critical,keyCertSign,cRLSign >"$run/tls/openssl.out" 2>&1 \
            || { cat "$run/tls/openssl.out"; return 1; }
    done
    printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
        > "$run/tls/server.ext"
    openssl req -newkey rsa:2048 -nodes -keyout "$run/tls/server.key" -out "$run/tls/server.csr" \
        -subj "/CN=127.0.0.1" >"$run/tls/openssl.out" 2>&1 \
        && openssl x509 -req -in "$run/tls/server.csr" -CA "$run/tls/ca.pem" -CAkey "$run/tls/ca.key" \
            -CAcreateserial -days 2 -extfile "$run/tls/server.ext" -out "$run/tls/server.pem" >>"$run/tls/openssl.out" 2>&1 \
        || { cat "$run/tls/openssl.out"; return 1; }
    chmod 600 "$run/tls"/*.key
}

# start_slapd LAYOUT [council-ldif.py options]: a fresh database, loaded.
start_slapd () {
    stop_slapd
    local layout=$1
    shift
    rm -rf "$run/db" && mkdir -p "$run/db"
    local listen=$uri tls_conf=
    if [ "$slapd_tls" = yes ]; then
        make_certs || return 1
        listen="$uri $tls_uri"
        tls_conf="TLSCACertificateFile $run/tls/ca.pem
TLSCertificateFile $run/tls/server.pem
TLSCertificateKeyFile $run/tls/server.key"
    fi
    cat > "$run/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include $run/ad-like.schema
pidfile $run/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
$tls_conf
database mdb
maxsize 268435456
suffix "$base"
rootdn "cn=admin,$base"
rootpw $admin_password
directory $run/db
# slapd stops a search at 500 entries, paged or not, unless the account
# may page through more: what a council's OpenLDAP needs for its reader.
limits dn.exact="cn=reader,ou=People,$base" size.prtotal=unlimited
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="cn=reader,ou=People,$base" read by * none
CONF
    python3 "$top_srcdir/tests/ldap/council-ldif.py" "$top_srcdir/config/directory.conf" --layout "$layout" "$@" > "$run/council.ldif"
    printf 'dn: cn=reader,ou=People,%s\nobjectClass: simpleSecurityObject\nobjectClass: organizationalRole\ncn: reader\nuserPassword: %s\n\n' \
        "$base" "$reader_password" >> "$run/council.ldif"
    "$slapadd" -q -f "$run/slapd.conf" -l "$run/council.ldif" >"$run/slapadd.out" 2>&1 || { cat "$run/slapadd.out"; return 1; }
    "$slapd" -f "$run/slapd.conf" -h "$listen" -d 0 >"$run/slapd.out" 2>&1 &
    slapd_pid=$!
    for _ in $(seq 50); do
        ldapsearch -x -H "$uri" -b "" -s base >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    cat "$run/slapd.out"; return 1
}

# config NAME SCHEMA [extra key lines]: a configuration with source=ldap.
config () {
    local name=$1 schema=$2
    shift 2
    awk '/^\[/{keep=($0=="[council]")} keep' "$top_srcdir/config/directory.conf" > "$run/council.conf"
    {
        printf '[milter]\ndirectory=%s\n[policy]\nlexicon=%s\nparagraphs=%s\nweights=%s\nvalence=%s\n' \
            "$run/council.conf" "$top_srcdir/config/lexicon" "$top_srcdir/config/paragraphs.conf" \
            "$top_srcdir/config/weights.conf" "$top_srcdir/config/valence.txt"
        printf '[directory]\n'
        # The case's own keys first; a default is written only when unset.
        for line in "$@"; do printf '%s\n' "$line"; done
        for line in source=ldap "uri=$uri" "schema=$schema" "base-dn=$base" \
                    "members-group=cn=Councillors,ou=Groups,$base" "bind-dn=cn=reader,ou=People,$base" \
                    "password-file=$run/reader.password" "snapshot=$run/$name.snapshot" page-size=100 \
                    "office-group-chair=cn=office-chair,ou=Groups,$base" \
                    "office-group-leader=cn=office-leader,ou=Groups,$base" \
                    "office-group-group-leader=cn=office-group-leader,ou=Groups,$base" \
                    "office-group-cabinet=cn=Cabinet,ou=Groups,$base"; do
            case " $* " in *" ${line%%=*}="*) ;; *) printf '%s\n' "$line" ;; esac
        done
    } > "$run/$name.conf"
    echo "$run/$name.conf"
}
