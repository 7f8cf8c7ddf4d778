"""The command line: export and import round trips, CSV, all-or-nothing file imports,
help and usage errors, accounts from standard input or a file, backup while serving,
check, and init on an existing file."""
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time

from harness import PASSWORDS, expect, ndjson, record

COMMANDS = ["init", "serve", "import", "export", "user", "vocab", "backup", "check"]


def bioex(node, *args, db=None, stdin=None):
    """Runs bioex on db (default: the node's database); returns the CompletedProcess."""
    return subprocess.run([node.binary, *args, "--db", db or node.db, "--log-level", "warn"],
                          input=stdin, capture_output=True, text=True, timeout=120)


def succeeds(result):
    expect(result.returncode == 0, "exit %d: %s %s" % (result.returncode, result.stdout, result.stderr))
    return result


def fails(result, *words):
    expect(result.returncode != 0, "expected a failure, got exit 0: %s" % result.stdout)
    expect(result.stderr.strip(), "no message on stderr")
    for word in words:
        expect(word in result.stderr, "%r not in stderr: %s" % (word, result.stderr))
    return result


def new_db(node, name, slug="mirror"):
    path = os.path.join(node.dir, name)
    succeeds(bioex(node, "init", "--node", slug, db=path))
    return path


def published(node):
    reply = node.request("GET", "/api/v1/records?size=1")
    return reply.json["total"]


def make_records(node):
    """A few records of every kind of text, an edited one, a draft and a withdrawn one."""
    if getattr(node, "_cli_records", None):
        return node._cli_records
    made = [
        node.create(record(id="cn:cli-zh", title={"zh": "中国生物多样性保护战略与行动计划", "en": "China NBSAP"})),
        node.create(record(id="cn:cli-ar", title={"ar": "الاستراتيجية الوطنية للتنوع البيولوجي", "fr": "Stratégie"},
                           countries=["DZ"])),
        node.create(record(id="cn:cli-csv", title={"en": 'Report, "final" version', "zh": "报告，\"最终\"版",
                                                   "fr": "Ligne un\nligne deux"})),
        node.create(record(id="cn:cli-edited", title={"zh": "初稿"})),
    ]
    reply = node.request("PUT", "/api/v1/records/cn:cli-edited", record(title={"zh": "修订稿", "ar": "مراجعة"}),
                         user="admin", headers={"If-Match": '"1"'})
    expect(reply.status == 200, reply)
    withdrawn = node.create(record(id="cn:cli-withdrawn"))
    expect(node.request("DELETE", "/api/v1/records/" + withdrawn["id"], user="admin").status == 200)
    draft = node.create(record(title={"zh": "草稿"}), user="contributor")
    node._cli_records = {"published": [r["id"] for r in made], "withdrawn": withdrawn["id"], "draft": draft["id"]}
    return node._cli_records


def test_export_import_export_gives_the_same_lines(node):
    made = make_records(node)
    first = succeeds(bioex(node, "export")).stdout
    lines = first.splitlines()
    expect(len(lines) == published(node), "%d lines for %d published" % (len(lines), published(node)))
    ids = [json.loads(line)["id"] for line in lines]
    for wanted in made["published"]:
        expect(wanted in ids, "%s not exported" % wanted)
    expect(made["withdrawn"] not in ids and made["draft"] not in ids, ids)
    expect("中国生物多样性保护战略与行动计划" in first and "الاستراتيجية الوطنية" in first, "text escaped or lost")
    edited = [json.loads(line) for line in lines if '"cn:cli-edited"' in line][0]
    expect(edited["meta"]["revision"] == 2 and edited["title"]["zh"] == "修订稿", edited)

    exported = os.path.join(node.dir, "export.ndjson")
    succeeds(bioex(node, "export", "--out", exported))
    expect(open(exported, encoding="utf-8").read() == first, "--out differs from standard output")
    mirror = new_db(node, "mirror.db")
    result = succeeds(bioex(node, "import", exported, db=mirror))
    expect("imported: %d created" % len(lines) in result.stdout, result.stdout)
    second = succeeds(bioex(node, "export", db=mirror)).stdout
    expect(second.splitlines() == lines, "the round trip changed the records:\n%s\n%s" % (first, second))
    again = succeeds(bioex(node, "import", exported, db=mirror))
    expect("0 created, 0 updated, %d unchanged" % len(lines) in again.stdout, again.stdout)
    succeeds(bioex(node, "check", db=mirror))


def test_import_of_a_json_array_and_standard_input(node):
    make_records(node)
    lines = succeeds(bioex(node, "export")).stdout.splitlines()
    array = os.path.join(node.dir, "records.json")
    with open(array, "w", encoding="utf-8") as out:
        json.dump([json.loads(line) for line in lines], out, ensure_ascii=False, indent=2)
    target = new_db(node, "array.db")
    succeeds(bioex(node, "import", array, db=target))
    expect(succeeds(bioex(node, "export", db=target)).stdout.splitlines() == lines)
    piped = new_db(node, "stdin.db")
    succeeds(bioex(node, "import", "-", db=piped, stdin="\n".join(lines) + "\n"))
    expect(succeeds(bioex(node, "export", db=piped)).stdout.splitlines() == lines)


def test_csv_export(node):
    make_records(node)
    text = succeeds(bioex(node, "export", "--format", "csv")).stdout
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    for column in ("id", "type", "date", "title_ar", "title_en", "title_zh", "countries", "revision"):
        expect(column in header, header)
    body = rows[1:]
    expect(len(body) == published(node), "%d rows for %d published records" % (len(body), published(node)))
    expect(all(len(row) == len(header) for row in body), "ragged rows")
    by_id = {row[header.index("id")]: dict(zip(header, row)) for row in body}
    special = by_id["cn:cli-csv"]
    expect(special["title_en"] == 'Report, "final" version', special)
    expect(special["title_zh"] == '报告，"最终"版' and special["title_fr"] == "Ligne un\nligne deux", special)
    expect('"Report, ""final"" version"' in text, "not quoted as RFC 4180 says")
    expect(by_id["cn:cli-ar"]["title_ar"] == "الاستراتيجية الوطنية للتنوع البيولوجي", by_id["cn:cli-ar"])
    expect(by_id["cn:cli-ar"]["countries"] == "DZ" and by_id["cn:cli-edited"]["revision"] == "2", by_id)
    expect("cn:cli-withdrawn" not in by_id, "a withdrawn record in the CSV")
    fails(bioex(node, "export", "--format", "xml"), "format")


def test_import_with_one_bad_line_imports_nothing(node):
    before = published(node)
    good = os.path.join(node.dir, "good.ndjson")
    bad = os.path.join(node.dir, "bad.ndjson")
    with open(good, "w", encoding="utf-8") as out:
        out.write(ndjson(record(id="cn:file-good-1", title={"zh": "好的记录"})))
    with open(bad, "w", encoding="utf-8") as out:
        out.write(ndjson(record(id="cn:file-ok", title={"ar": "سجل جيد"}),
                         record(id="cn:file-bad", countries=["XX"]),
                         "",
                         '{"type": "document", "title": {"zh": "断了'))
    result = fails(bioex(node, "import", good, bad))
    expect("%s:2: /countries/0: " % bad in result.stderr, result.stderr)
    expect("%s:4: " % bad in result.stderr, result.stderr)
    expect(good + ":" not in result.stderr, "problems blamed on the good file: %s" % result.stderr)
    expect("imported:" not in result.stdout, result.stdout)
    expect(published(node) == before, "records of a refused import were stored")
    for missing in ("cn:file-good-1", "cn:file-ok"):
        expect(node.request("GET", "/api/v1/records/" + missing, user="admin").status == 404, missing)
    fails(bioex(node, "import", os.path.join(node.dir, "no-such-file.ndjson")), "no-such-file")


def test_help_on_every_command(node):
    for args in ([], *([command] for command in COMMANDS)):
        result = subprocess.run([node.binary, *args, "--help"], capture_output=True, text=True, timeout=30)
        expect(result.returncode == 0, "%s --help: exit %d %s" % (args, result.returncode, result.stderr))
        expect("usage: bioex" in result.stdout, "%s --help: %s" % (args, result.stdout))
        if args:
            expect("--db" in result.stdout, "%s --help does not list --db" % args)
    expect("--password-file" in subprocess.run([node.binary, "user", "--help"], capture_output=True,
                                               text=True).stdout)


def test_usage_errors_exit_non_zero_with_a_message(node):
    fails(subprocess.run([node.binary], capture_output=True, text=True), "usage")
    fails(subprocess.run([node.binary, "frobnicate"], capture_output=True, text=True), "frobnicate")
    fails(bioex(node, "export", "--frobnicate"), "--frobnicate")
    fails(subprocess.run([node.binary, "user", "add", "x.y", "--db", node.db, "--role"], capture_output=True,
                         text=True), "--role")
    fresh = os.path.join(node.dir, "never-made.db")
    fails(bioex(node, "init", db=fresh), "--node")
    fails(bioex(node, "init", "--node", "Bad Slug!", db=fresh), "--node")
    expect(not os.path.exists(fresh), "a failed init left a file")
    fails(bioex(node, "check", db=fresh), fresh)
    fails(bioex(node, "backup", db=node.db), "backup")
    fails(bioex(node, "user", "frob", "x"), "frob")


def test_init_refuses_an_existing_file(node):
    size, before = os.path.getsize(node.db), published(node)
    fails(bioex(node, "init", "--node", "other"), "exists")
    expect(os.path.getsize(node.db) >= size and published(node) == before, "init touched the database")
    other = os.path.join(node.dir, "not-a-database.txt")
    with open(other, "w") as out:
        out.write("keep me\n")
    fails(bioex(node, "init", "--node", "other", db=other), "exists")
    expect(open(other).read() == "keep me\n", "init overwrote a file")


def test_user_add_reads_the_password_from_stdin_or_a_file(node):
    stdin_password = "标准输入的密码-stdin-1"
    file_password = "كلمة-المرور-من-الملف"
    process = subprocess.Popen([node.binary, "user", "add", "cli.stdin", "--role", "editor", "--db", node.db,
                                "--log-level", "warn"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.2)
        with open("/proc/%d/cmdline" % process.pid, "rb") as cmdline:
            arguments = cmdline.read().decode("utf-8", "replace")
        listing = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout
        out, err = process.communicate(stdin_password + "\n", timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    expect("cli.stdin" in arguments and stdin_password not in arguments, arguments)
    expect(stdin_password not in listing, "the password is visible in ps")
    expect(process.returncode == 0, err)

    secret = os.path.join(node.dir, "password.txt")
    with open(secret, "w", encoding="utf-8") as out:
        out.write(file_password + "\n")
    succeeds(bioex(node, "user", "add", "cli.file", "--role", "national", "--country", "DZ",
                   "--password-file", secret))

    for name, password in (("cli.stdin", stdin_password), ("cli.file", file_password)):
        reply = node.request("POST", "/api/v1/auth/login", {"username": name, "password": password})
        expect(reply.status == 200, "%s cannot sign in: %r" % (name, reply))
    listing = succeeds(bioex(node, "user", "list")).stdout
    expect("cli.stdin" in listing and "cli.file" in listing and "DZ" in listing, listing)

    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(node.db + suffix):
            raw = open(node.db + suffix, "rb").read()
            for password in (stdin_password, file_password):
                expect(password.encode("utf-8") not in raw, "a password is stored in %s" % (node.db + suffix))


def test_user_add_refuses_bad_passwords_and_names(node):
    fails(bioex(node, "user", "add", "cli.short", "--role", "editor", stdin="short\n"), "password")
    fails(bioex(node, "user", "add", "cli.empty", "--role", "editor", stdin=""), "password")
    fails(bioex(node, "user", "add", "cli.nofile", "--role", "editor", "--password-file",
                os.path.join(node.dir, "missing.txt")), "missing.txt")
    fails(bioex(node, "user", "add", "editor", "--role", "editor", stdin="long-enough-password\n"), "exists")
    fails(bioex(node, "user", "add", "cli.role", "--role", "superuser", stdin="long-enough-password\n"), "--role")
    fails(bioex(node, "user", "add", "cli.nat", "--role", "national", stdin="long-enough-password\n"), "--country")
    fails(bioex(node, "user", "add", "cli.xx", "--role", "national", "--country", "XX",
                stdin="long-enough-password\n"), "--country")
    listing = succeeds(bioex(node, "user", "list")).stdout
    for name in ("cli.short", "cli.empty", "cli.nofile", "cli.role", "cli.nat", "cli.xx"):
        expect(name not in listing, "%s was added: %s" % (name, listing))
    old = bioex(node, "user", "add", "editor", "--role", "editor", stdin="long-enough-password\n")
    expect(old.returncode != 0)
    reply = node.request("POST", "/api/v1/auth/login", {"username": "editor", "password": PASSWORDS["editor"]})
    expect(reply.status == 200, "a refused add changed the editor's password: %r" % reply)


def test_user_password_disable_enable(node):
    succeeds(bioex(node, "user", "add", "cli.cycle", "--role", "contributor", stdin="第一个密码-first\n"))
    succeeds(bioex(node, "user", "password", "cli.cycle", stdin="第二个密码-second\n"))
    login = lambda password: node.request("POST", "/api/v1/auth/login",
                                          {"username": "cli.cycle", "password": password}).status
    expect(login("第一个密码-first") == 401 and login("第二个密码-second") == 200)
    succeeds(bioex(node, "user", "disable", "cli.cycle"))
    expect("disabled" in [line for line in succeeds(bioex(node, "user", "list")).stdout.splitlines()
                          if line.startswith("cli.cycle")][0])
    expect(login("第二个密码-second") == 401)
    succeeds(bioex(node, "user", "enable", "cli.cycle"))
    expect(login("第二个密码-second") == 200)
    fails(bioex(node, "user", "disable", "cli.nobody"), "cli.nobody")


def test_backup_while_serving(node):
    make_records(node)
    before = [node.create(record(id="cn:backup-%d" % i, title={"zh": "备份记录 %d" % i, "ar": "نسخة %d" % i}))
              for i in range(20)]
    stop, written, errors = threading.Event(), [], []

    def writer():
        i = 0
        while not stop.is_set():
            reply = node.request("POST", "/api/v1/records", record(id="cn:during-%d" % i), user="admin")
            (written if reply.status == 201 else errors).append(reply)
            i += 1

    node.token("admin")
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.1)
        copy = os.path.join(node.dir, "backup.db")
        result = succeeds(bioex(node, "backup", copy))
    finally:
        stop.set()
        thread.join(timeout=60)
    expect(not errors, "writes failed during the backup: %r" % errors[:3])
    expect(written, "no write ran during the backup")
    expect(os.path.exists(copy) and "backup" in result.stdout, result.stdout)
    checked = succeeds(bioex(node, "check", db=copy))
    expect("ok" in checked.stdout, checked.stdout)
    lines = succeeds(bioex(node, "export", db=copy)).stdout.splitlines()
    ids = {json.loads(line)["id"] for line in lines}
    for made in before:
        expect(made["id"] in ids, "%s missing from the backup" % made["id"])
    expect("备份记录 7" in "\n".join(lines), "text lost in the backup")
    fails(bioex(node, "backup", copy), "exists")
    # The live database is sound too after the backup and the writes.
    succeeds(bioex(node, "check"))
    node._backup = copy


def test_check_finds_a_corrupted_copy(node):
    source = getattr(node, "_backup", None)
    if not source:
        test_backup_while_serving(node)
        source = node._backup
    broken = os.path.join(node.dir, "broken.db")
    shutil.copyfile(source, broken)
    connection = sqlite3.connect(broken)
    with connection:
        connection.execute("UPDATE records SET revision = 99 WHERE id = 'cn:cli-zh'")
    connection.close()
    result = bioex(node, "check", db=broken)
    expect(result.returncode != 0, "check passed a corrupted database: %s" % result.stdout)
    report = result.stdout + result.stderr
    expect("cn:cli-zh" in report and "99" in report, "the problem is not named: %s" % report)
    expect("problem" in result.stderr, result.stderr)
    succeeds(bioex(node, "check", db=source))
