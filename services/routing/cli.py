"""routing's part of the `rongtuk` command: the model, the knowledge base, the directory, and the
sites the directory names.

Every command gets the config file's path as its context object (services/cli.py). What a command
uses is imported inside it: `rongtuk` starts in a fraction of a second (the model and the knowledge
base bring scikit-learn), and `rongtuk run` patches eventlet before the database and nameko are
imported.
"""
from contextlib import contextmanager

import click

from services.routing.exceptions import DirectoryError, KnowledgeError, ModelError
from shared.config import data_dir, load_config, project_path, setting


@click.group()
def routing():
    """The routing model: train it from confirmed routings, measure it on cases it has not seen."""


def _directory(config_path, directory_path):
    from services.routing.directory import Directory
    config = load_config(config_path)
    path = directory_path or config.get("ROUTING_DIRECTORY") or "deploy/directory.yml"
    return Directory.load(project_path(path))


@routing.command("train")
@click.option("--train", "train_path", type=click.Path(exists=True, dir_okay=False),
              help="JSONL of confirmed routings: {\"text\": ..., \"unit\": ...} per line.")
@click.option("--from-confirmed", is_flag=True,
              help="Also learn from the routings officers confirmed or corrected (routing's database).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Where to save the model (default: DATA_DIR/routing-model-<version>.joblib).")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False),
              help="The directory whose units it learns (default: ROUTING_DIRECTORY).")
@click.pass_obj
def routing_train(config_path, train_path, from_confirmed, out_path, directory_path):
    """Train a model and save it under its version; point ROUTING_MODEL at it to use it.

    Retraining is this command, run by a person: nothing retrains by itself."""
    from services.routing.model import read_examples, train
    if not train_path and not from_confirmed:
        raise click.UsageError("give --train FILE, --from-confirmed, or both")
    examples = read_examples(train_path) if train_path else []
    if from_confirmed:
        from services.routing.assignments import confirmed_examples
        from shared.store import open_store
        with open_store(load_config(config_path), "routing") as store, store.reading() as session:
            examples += confirmed_examples(session)
    try:
        model = train(examples, _directory(config_path, directory_path))
    except ModelError as exc:
        raise click.ClickException(str(exc))
    path = out_path or data_dir(load_config(config_path)) / f"routing-model-{model.version}.joblib"
    model.save(path)
    click.echo(f"model {model.version}: {model.meta['examples']} examples, C={model.meta['C']}, "
               f"cross-validated accuracy {max(model.meta['cv_accuracy'].values() or [0]):.3f}")
    click.echo(f"saved to {path}")


@routing.command("evaluate")
@click.option("--train", "train_path", type=click.Path(exists=True, dir_okay=False),
              help="JSONL to train on; leave out to measure the directory's rules alone.")
@click.option("--test", "test_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL of cases with the unit that should answer them (and, if known, their kind).")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--threshold", type=float, default=None,
              help="Probability the model's best unit needs (default: 1.25 / number of units).")
@click.option("--no-rules", is_flag=True, help="Measure the model alone.")
@click.pass_obj
def routing_evaluate(config_path, train_path, test_path, directory_path, threshold, no_rules):
    """Route every test case as the service would for a case that came with no kind, and print
    per-unit precision and recall, then `accuracy <fraction>` of the unit decision (triage counts
    as wrong) and, where the test file gives kinds, `kind accuracy <fraction>` of the kind read from
    the words and `kind false raises <n>` (decided 3 or 4 where the truth is 1 or 2)."""
    from services.routing.evaluation import evaluate
    from services.routing.model import read_examples, read_labelled, train
    directory = _directory(config_path, directory_path)
    try:
        model = train(read_examples(train_path), directory) if train_path else None
        report = evaluate(read_labelled(test_path), directory, model, threshold, use_rules=not no_rules)
    except ModelError as exc:
        raise click.ClickException(str(exc))
    if model:
        click.echo(f"model {model.version}: C={model.meta['C']} chosen by cross-validation on the training data")
    for line in report.lines():
        click.echo(line)


@routing.command("cross-validate")
@click.option("--train", "train_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL of confirmed routings: {\"text\", \"unit\"[, \"kind\"]} per line.")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True)
@click.option("--repeats", type=click.IntRange(1, 50), default=4, show_default=True)
@click.option("--no-rules", is_flag=True, help="Measure the model alone.")
@click.pass_obj
def routing_cross_validate(config_path, train_path, directory_path, folds, repeats, no_rules):
    """The figure to optimise: unit accuracy of the whole decision over repeated stratified k-fold
    splits of the training file alone, each fold's model trained on the rest (held-out files stay
    held out). Prints `cross-validated accuracy <mean> ± <sd> over <n> folds`, and the kind accuracy."""
    from services.routing.evaluation import cross_validate
    from services.routing.model import read_labelled, train
    directory = _directory(config_path, directory_path)
    try:
        mean, sd, runs, kinds = cross_validate(read_labelled(train_path), directory, train, folds, repeats,
                                               use_rules=not no_rules)
    except (ModelError, ValueError) as exc:
        raise click.ClickException(str(exc))
    click.echo(f"cross-validated accuracy {mean:.4f} ± {sd:.4f} over {runs} folds")
    if kinds is not None:
        click.echo(f"kind accuracy {kinds:.4f}")


@click.group()
def kb():
    """The knowledge base: the questions people ask and the office's answers; an inquiry close
    enough to an entry is answered from it at first contact.

    Entries live in routing's database, which these commands change directly; the running routing
    services notice a change at their next case. A site whose knowledge base never had an entry is
    first filled from KNOWLEDGE.file (deploy/knowledge.yml), here as when routing starts.
    """


@contextmanager
def _knowledge_base(config_path):
    """(store, directory, config) for routing's database, seeded as routing would seed it."""
    import sqlalchemy as sa

    from services.routing.dependencies import knowledge_file, seed_knowledge
    from shared.store import open_store
    config = load_config(config_path)
    with open_store(config, "routing") as store:
        if not sa.inspect(store.engine).has_table("knowledge_entries"):
            raise click.ClickException("routing's database has no knowledge base yet: run `rongtuk db upgrade`")
        directory = _directory(config_path, None)
        path = knowledge_file(config)
        if path:
            _kb_call(lambda: seed_knowledge(store, path, directory.units))
        yield store, directory, config


def _kb_call(action):
    try:
        return action()
    except KnowledgeError as exc:
        raise click.ClickException(str(exc))


def _login():
    import getpass
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment
        return ""


OFFICER_OPTION = click.option("--officer", default=_login, show_default="your login name",
                              help="Who makes the change; it is recorded with the entry.")


@kb.command("list")
@click.option("--removed", is_flag=True, help="Include removed entries.")
@click.pass_obj
def kb_list(config_path, removed):
    """Every entry: id, unit, when and by whom last changed, its first question."""
    from services.routing import knowledge_admin
    with _knowledge_base(config_path) as (store, _, _), store.reading() as session:
        entries = knowledge_admin.listing(session, include_removed=removed)
    if not entries:
        click.echo("no entries")
    for e in entries:
        state = f"removed {e['deleted_at'][:10]}" if e["deleted_at"] else f"{len(e['questions'])} question(s)"
        click.echo(f"{e['id']:<28} {e['unit'] or '(triage)':<20} {e['updated_at'][:16].replace('T', ' ')}Z  "
                   f"{e['updated_by'][:24]:<24} {state:<18} {e['questions'][0]}")


def _kb_put(config_path, entry_id, questions, answer, unit, officer, must_be_new):
    from services.routing import knowledge_admin
    with _knowledge_base(config_path) as (store, directory, _):
        result = _kb_call(lambda: store.run(knowledge_admin.put, {
            "id": entry_id, "questions": list(questions), "answer": answer, "unit": unit}, officer,
            directory.units, must_be_new=must_be_new))
    click.echo(f"{result['id']}: {result['status']}")


def _entry_options(command):
    for option in reversed([
        click.option("--id", "entry_id", required=True, help="1-64 characters of a-z, 0-9, - _ ."),
        click.option("--question", "questions", multiple=True, required=True,
                     help="A question the entry answers (repeatable; the more ways of asking, the better)."),
        click.option("--answer", required=True, help="The answer the complainant receives."),
        click.option("--unit", default="", help="The unit the answered case is recorded with (default: triage)."),
        OFFICER_OPTION,
    ]):
        command = option(command)
    return command


@kb.command("put")
@_entry_options
@click.pass_obj
def kb_put(config_path, entry_id, questions, answer, unit, officer):
    """Add an entry, or replace the entry with that id (its questions, answer and unit all at once)."""
    _kb_put(config_path, entry_id, questions, answer, unit, officer, must_be_new=False)


@kb.command("add")
@_entry_options
@click.pass_obj
def kb_add(config_path, entry_id, questions, answer, unit, officer):
    """Add a new entry; refused if the id is taken (`kb put` replaces)."""
    _kb_put(config_path, entry_id, questions, answer, unit, officer, must_be_new=True)


@kb.command("remove")
@click.argument("entry_id")
@OFFICER_OPTION
@click.pass_obj
def kb_remove(config_path, entry_id, officer):
    """Remove the entry ENTRY_ID: inquiries are no longer answered from it (`kb list --removed` shows it)."""
    from services.routing import knowledge_admin
    with _knowledge_base(config_path) as (store, _, _):
        _kb_call(lambda: store.run(knowledge_admin.remove, entry_id, officer))
    click.echo(f"{entry_id}: removed")


@kb.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--remove-missing", is_flag=True, help="Also remove the entries FILE does not have.")
@OFFICER_OPTION
@click.pass_obj
def kb_import(config_path, file, remove_missing, officer):
    """Add or replace every entry of FILE (the format of deploy/knowledge.yml); all or nothing."""
    from services.routing import knowledge_admin
    with _knowledge_base(config_path) as (store, directory, _):
        counts = _kb_call(lambda: store.run(knowledge_admin.import_entries, knowledge_admin.read_file(file),
                                            officer, directory.units, remove_missing=remove_missing))
    click.echo(", ".join(f"{n} {word}" for word, n in counts.items()))


@kb.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, writable=True))
@click.pass_obj
def kb_export(config_path, file):
    """Write the entries as YAML (the format `kb import` reads) to FILE, or to the standard output."""
    from services.routing import knowledge_admin
    with _knowledge_base(config_path) as (store, _, _), store.reading() as session:
        data = knowledge_admin.export(session)
    text = knowledge_admin.to_yaml(data)
    if file:
        with open(file, "w", encoding="utf-8") as f:
            f.write(text)
        click.echo(f"{len(data['entries'])} entries written to {file}")
    else:
        click.echo(text, nl=False)


@kb.command("search")
@click.argument("text")
@click.option("--top", default=3, show_default=True, help="How many entries to show.")
@click.pass_obj
def kb_search(config_path, text, top):
    """The entries closest to TEXT, best first, and whether an inquiry saying it would be answered."""
    from services.routing import knowledge_admin
    with _knowledge_base(config_path) as (store, _, config), store.reading() as session:
        found = knowledge_admin.load(session).search(text, top=top)
    threshold = float(setting(config, "KNOWLEDGE", "threshold", 0.45))
    if not found:
        click.echo("no entries")
    for entry, score in found:
        verdict = "answers an inquiry" if score >= threshold else f"below {threshold}"
        click.echo(f"{score:.3f}  {entry.id:<28} {entry.unit_id or '(triage)':<20} {verdict}")
    if found and found[0][1] >= threshold:
        click.echo(f"\n{found[0][0].answer}")


@kb.command("history")
@click.argument("entry_id", required=False)
@click.pass_obj
def kb_history(config_path, entry_id):
    """Who added, replaced or removed entries (of ENTRY_ID), oldest first."""
    from services.routing import knowledge_admin
    with _knowledge_base(config_path) as (store, _, _), store.reading() as session:
        changes = knowledge_admin.history(session, entry_id)
    if not changes:
        click.echo("no changes")
    for c in changes:
        click.echo(f"{c['at'][:19].replace('T', ' ')}Z  {c['action']:<9} {c['entry_id']:<28} {c['officer']}")


@click.group()
def directory():
    """The organisation directory: sites, units, their roles and the routing rules."""


@directory.command("show")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False),
              help="Another directory file (default: ROUTING_DIRECTORY of the config).")
@click.pass_obj
def directory_show(config_path, directory_path):
    """The directory as routing reads it (YAML): what a running routing also answers by RPC."""
    import yaml
    click.echo(yaml.safe_dump(_directory(config_path, directory_path).as_mapping(), allow_unicode=True,
                              sort_keys=False), nl=False)


@directory.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def directory_check(path):
    """Validate a directory file before deploying it: units, rules, triage unit and sites."""
    import yaml

    from services.routing.directory import Directory
    try:
        found = Directory.load(path)
    except (DirectoryError, yaml.YAMLError, OSError) as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    click.echo(f"{path}: site {found.site or '-'}, {len(found.units)} units, {len(found.rules)} rules, "
               f"{len(found.sites)} sites, triage to {found.triage_unit.id}: valid")


@click.command("list")
@click.option("--directory", "directory_path", type=click.Path(exists=True, dir_okay=False))
@click.pass_obj
def sites_list(config_path, directory_path):
    """The sites in this site's directory, and whether personal data may go to each."""
    directory = _directory(config_path, directory_path)
    for site in directory.sites.values():
        here = " (this site)" if site.id == directory.site else ""
        shared = "complainant's contacts shared" if site.personal_data else "no personal data"
        click.echo(f"{site.id:<12} {site.kind:<8} {shared:<30} {site.name_th}{here}")


commands = [routing, kb, directory]
