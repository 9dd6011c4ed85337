"""docs/copyeta.1: the man page documents what the CLI offers, and renders cleanly.

The CLI's own --help is the list to check against, so a new subcommand, option, --format name,
model, --auto program or --help example that the page does not document fails here, and so does
a JSON key the CLI writes that the OUTPUT section does not name."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLI = os.environ.get("COPYETA_CLI")
ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "copyeta.1"
FORMATS = ROOT / "tests" / "data" / "formats"

needs_cli = pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")

STATES = ["warming_up", "unknown_total", "ok", "stalled", "flushing", "finished", "rejected"]
EXIT_CODES = ["0", "1", "2", "3", "4", "130", "141"]
SECTIONS = ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "OUTPUT", "STATES",
            "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SECURITY", "SEE ALSO"]


# --- The page, read as roff -------------------------------------------------------------------

ESCAPES = [("\\-", "-"), ("\\(dq", '"'), ("\\(en", "-"), ("\\(em", "-"), ("\\(+-", "+-"),
           ("\\(mu", "x"), ("\\(ha", "^"), ("\\(lq", '"'), ("\\(rq", '"'), ("\\(bu", "*"),
           ("\\ ", " "), ("\\|", ""), ("\\&", ""), ("\\%", ""), ("\\e", "\\")]


def plain(text):
    """roff text as a reader sees it: escapes resolved, font changes dropped."""
    text = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", text)
    for escape, char in ESCAPES:
        text = text.replace(escape, char)
    return text


def macro_text(line):
    """A request line's arguments as they print (`.BR \\-o ", " \\-\\-output` -> "-o, --output",
    `.OP \\-\\-level P` -> "[--level P]"), or a text line as it is."""
    if not line.startswith("."):
        return plain(line)
    name, _, rest = line[1:].partition(" ")
    args = [quoted.replace('""', '"') if quoted or not bare else bare
            for quoted, bare in re.findall(r'"((?:[^"]|"")*)"|(\S+)', rest)]
    if name in ("BR", "RB", "BI", "IB", "IR", "RI"):  # alternating fonts: no space between
        return plain("".join(args))
    if name == "OP":
        return plain("[" + " ".join(args) + "]")
    return plain(" ".join(args))


def page_lines():
    return [line for line in PAGE.read_text(encoding="ascii").splitlines()
            if not line.startswith('.\\"')]


def split_on(lines, request):
    """{title: lines} for each `.SH`/`.SS` heading, the title as it prints."""
    parts, title = {}, None
    for line in lines:
        if line.startswith(request + " ") or line == request:
            title = macro_text(line)
            parts[title] = []
        elif title is not None:
            parts[title].append(line)
    return parts


def section(name):
    sections = split_on(page_lines(), ".SH")
    assert name in sections, f"docs/copyeta.1 has no section {name} (it has {list(sections)})"
    return sections[name]


def subsection(subcommand):
    """The COMMANDS subsection of `copyeta SUBCOMMAND`."""
    parts = split_on(section("COMMANDS"), ".SS")
    for title, lines in parts.items():
        words = title.split()
        if words[:2] == ["copyeta", subcommand]:
            return lines
    raise AssertionError(f"docs/copyeta.1: no .SS \"copyeta {subcommand}\" under COMMANDS "
                         f"(it has {list(parts)})")


def tags(lines):
    """The tag lines of the `.TP` (and `.TQ`) entries, as they print."""
    return [macro_text(lines[i + 1]) for i, line in enumerate(lines[:-1])
            if line.split()[:1] in ([".TP"], [".TQ"])]


def synopses(subcommand):
    """The SYNOPSIS blocks (`.SY "copyeta SUB"` .. `.YS`) of a subcommand, as they print."""
    blocks, current = [], None
    for line in section("SYNOPSIS"):
        if line.startswith(".SY"):
            current = [] if macro_text(line).split() == ["copyeta", subcommand] else None
        elif line.startswith(".YS"):
            if current is not None:
                blocks.append(" ".join(current))
            current = None
        elif current is not None:
            current.append(macro_text(line))
    return blocks


def mentions(text, word):
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


def words_of(lines):
    return " ".join(macro_text(line) for line in lines)


# --- The CLI's help ---------------------------------------------------------------------------

def help_of(*subcommand):
    done = subprocess.run([CLI, *subcommand, "--help"], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    parts, heading = {"": []}, ""
    for line in done.stdout.splitlines():
        if re.fullmatch(r"[A-Z]\w*( \w+)*:", line):
            heading = line[:-1]
            parts[heading] = []
        else:
            parts[heading].append(line)
    return parts


def subcommands():
    names = [m.group(1) for line in help_of().get("Subcommands", [])
             if (m := re.match(r"  (\w[\w-]*)\s", line))]
    assert names, "copyeta --help lists no subcommands"
    return names


def options(help_parts):
    """[(names, description)] of the Options section: (["-o", "--output"], "Where to ...")."""
    found = []
    for line in help_parts.get("Options", []):
        m = re.match(r"\s+(-[^\s]+)\s*(.*)", line)
        if m:
            found.append(([n for n in m.group(1).split(",") if n.startswith("-")], m.group(2)))
    return found


def value_lists(description):
    """The names an option's help enumerates: "...: dd, rsync, generic" or "(cp, mv, rclone)"."""
    lists = re.findall(r":\s+((?:[\w.-]+, )+[\w.-]+)\s*$", description)
    lists += re.findall(r"\(((?:[\w.-]+, ){2,}[\w.-]+)\)", description)
    return [name for found in lists for name in found.split(", ")]


# --- The tests ----------------------------------------------------------------------------------

def test_the_page_has_its_sections():
    titles = list(split_on(page_lines(), ".SH"))
    assert [t for t in titles if t in SECTIONS] == SECTIONS, titles
    assert next(line for line in page_lines() if line.startswith(".")).startswith(".TH COPYETA 1 ")


@needs_cli
def test_every_subcommand_has_a_synopsis_and_a_subsection():
    for sub in subcommands():
        assert synopses(sub), f"SYNOPSIS lacks copyeta {sub}"
        subsection(sub)


@needs_cli
def test_every_option_of_every_subcommand_is_documented():
    missing = []
    top = [name for names, _ in options(help_of()) for name in names]
    documented = " ".join(tags(section("OPTIONS")))
    missing += [f"copyeta {name}" for name in top if not mentions(documented, name)]
    for sub in subcommands():
        entries = " | ".join(tags(subsection(sub)))
        synopsis = " ".join(synopses(sub))
        for names, _ in options(help_of(sub)):
            for name in names:
                if not mentions(entries, name):
                    missing.append(f"copyeta {sub} {name}: no .TP entry in its subsection")
                if name not in ("-h", "--help") and not mentions(synopsis, name):
                    missing.append(f"copyeta {sub} {name}: not in the SYNOPSIS")
    assert missing == [], "docs/copyeta.1 does not document:\n" + "\n".join(missing)


@needs_cli
def test_every_name_an_option_lists_is_documented():
    """--format's formats, --model's models, --auto's programs: in the subcommand's subsection."""
    missing, checked = [], 0
    for sub in subcommands():
        text = words_of(subsection(sub))
        for names, description in options(help_of(sub)):
            for value in value_lists(description):
                checked += 1
                if not mentions(text, value):
                    missing.append(f"copyeta {sub} {names[-1]}: {value}")
    assert checked > 0, "no option lists names any more: update this test"
    assert missing == [], "docs/copyeta.1 does not mention:\n" + "\n".join(missing)


def example_command(line):
    """An example line of a --help without its comment: "copyeta watch 4242   # cp -r" and
    "copyeta demo        two real copies" both give the command alone."""
    return re.sub(r"\s+", " ", re.split(r"\s+#|\s{2,}", line.strip())[0]).strip()


def help_examples():
    """[(where, command)] of the Examples sections of copyeta --help and each subcommand's."""
    found = [("copyeta --help", line) for line in help_of().get("Examples", [])]
    for sub in subcommands():
        found += [(f"copyeta {sub} --help", line) for line in help_of(sub).get("Examples", [])]
    # Examples are indented; a closing remark ("Each subcommand's --help has more") is not.
    return [(where, example_command(line)) for where, line in found
            if line[:1].isspace() and example_command(line)]


def unknown_options(command, known):
    """The options a command line gives a copyeta subcommand that the subcommand does not take."""
    unknown = []
    for sub, args in re.findall(r"copyeta (\w+)([^|<>;&]*)", command):
        unknown += [(sub, arg) for arg in args.split()
                    if arg.startswith("-") and arg != "-" and arg.split("=")[0] not in known[sub]]
    return unknown


def known_options():
    return {sub: {name for names, _ in options(help_of(sub)) for name in names}
            for sub in subcommands()}


@needs_cli
def test_every_example_of_the_help_is_in_examples():
    examples = re.sub(r"\s+", " ", words_of(section("EXAMPLES")))
    known = known_options()
    found = help_examples()
    assert found, "no --help shows examples any more: update this test"
    # An example that passes an option its subcommand does not take is reported by
    # test_examples_use_only_options_that_exist, and not documented.
    missing = [f"{where}: {command}" for where, command in found
               if command not in examples and not unknown_options(command, known)]
    assert missing == [], "EXAMPLES lacks:\n" + "\n".join(missing)


@needs_cli
def test_examples_use_only_options_that_exist():
    """In the --help footers and in the page's EXAMPLES, every option of `copyeta SUB ...` is
    one SUB takes: an example that fails with a usage error is worse than none."""
    known = known_options()
    lines = help_examples()
    lines += [("docs/copyeta.1 EXAMPLES", example_command(macro_text(line)))
              for line in section("EXAMPLES") if "copyeta " in line and not line.startswith(".")]
    wrong = [f"{where}: {command}: copyeta {sub} takes no {arg}"
             for where, command in lines for sub, arg in unknown_options(command, known)]
    assert wrong == [], "examples with options that do not exist:\n" + "\n".join(wrong)


@needs_cli
def test_the_version_is_the_programs():
    version = subprocess.run([CLI, "--version"], capture_output=True, text=True).stdout.strip()
    th = next(line for line in page_lines() if line.startswith(".TH "))
    assert f'"copyeta {version}"' in th, (th, version)


def test_every_state_and_exit_code_is_documented():
    states = " ".join(tags(section("STATES")))
    assert [s for s in STATES if not mentions(states, s)] == [], "STATES lacks these"
    codes = [tag.strip() for tag in tags(section("EXIT STATUS"))]
    assert [c for c in EXIT_CODES if c not in codes] == [], codes
    assert "SIGINT" in words_of(section("EXIT STATUS"))  # 130 is the interrupt's


def test_environment_files_and_see_also():
    assert "NO_COLOR" in tags(section("ENVIRONMENT"))
    files = " ".join(tags(section("FILES")))
    for path in ["/proc/PID/fdinfo/FD", "/proc/PID/io", "/proc/meminfo",
                 "/proc/sys/vm/dirty_expire_centisecs"]:
        assert path in files
    see_also = words_of(section("SEE ALSO"))
    for page in ["pv(1)", "progress(1)", "dd(1)", "rsync(1)"]:
        assert page in see_also


def keys_of(objects):
    """Every key of the JSON objects, nested ones included."""
    keys = set()
    for obj in objects:
        if isinstance(obj, dict):
            keys |= set(obj)
            keys |= keys_of(obj.values())
    return keys


def jsonl(*args, stdin=None):
    done = subprocess.run([CLI, *args], input=stdin, capture_output=True, timeout=60)
    return [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]


@needs_cli
def test_every_json_key_the_cli_writes_is_in_output(tmp_path):
    written = set()
    written |= keys_of(jsonl("demo", "--jsonl"))
    trace = tmp_path / "trace.csv"
    trace.write_text("t_seconds,bytes_done,bytes_total\n0,0,1000\n1,100,1000\n2,200,1000\n"
                     "1.5,300,1000\n3,400,1000\n")  # a row back in time: rejected
    written |= keys_of(jsonl("replay", str(trace), "--jsonl"))
    dd = (FORMATS / "dd_status_progress_1.txt").read_bytes()
    written |= keys_of(jsonl("pipe", "--jsonl", "--total", "120036786176", stdin=dd))

    # watch: a process that reads a file a little and exits.
    source = tmp_path / "source.bin"
    source.write_bytes(b"\0" * (1 << 20))
    reader = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; f = open(sys.argv[1], 'rb'); f.read(4096); print('open', flush=True);"
         " time.sleep(1.5)", str(source)], stdout=subprocess.PIPE)
    try:
        assert reader.stdout.readline() == b"open\n"
        written |= keys_of(jsonl("watch", str(reader.pid), "--jsonl", "--interval", "0.2"))
    finally:
        reader.kill()
        reader.wait()
    assert {"pid", "comm", "measure", "event", "estimates", "trace", "reason", "format"} <= written

    output = words_of(section("OUTPUT"))
    assert sorted(k for k in written if not mentions(output, k)) == [], "OUTPUT lacks these keys"


GROFF = shutil.which("groff")


@pytest.mark.skipif(not GROFF, reason="groff is not installed")
@pytest.mark.parametrize("width", [None, 60, 80, 120])
def test_the_page_renders_without_warnings(width):
    command = [GROFF, "-man", "-Tutf8", "-ww", "-z"]
    if width:
        command.append(f"-rLL={width}n")
    done = subprocess.run([*command, str(PAGE)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == "", done.stderr
