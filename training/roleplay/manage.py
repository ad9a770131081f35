"""The trainer's role-play pages: scenario list, import, editor with the graph view, play-test,
assignment, the review queue of typed replies and the insight per scenario.

Thin views over `services`, `runs`, `editor` and `insight`; the request commits once, at its
end. Every page here is for trainers, the blueprint's default. A change that leaves the scenario
invalid is refused whole (`ScenarioInvalid`) and its problems are shown beside what was typed.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from training.database import db
from training.errors import DomainError, NotFound
from training.imports.checks import check_upload
from training.navigation import TEACH, register_nav
from training.people.audience import find_users
from training.people.forms import AudienceForm
from training.roleplay import bp, editor, graph, graphview, yaml_format
from training.roleplay.errors import ScenarioInvalid
from training.roleplay.forms import (
    AddNodeForm,
    DeleteForm,
    ImportForm,
    LimitForm,
    NodeForm,
    ReviewForm,
    SettingsForm,
    node_data,
    settings_data,
    to_settings,
)
from training.roleplay.freetext import judge
from training.roleplay.insight import insight, insight_workbook, scenario_list
from training.roleplay.labels import CHANNEL_LABELS, OUTCOME_LABELS
from training.roleplay.models import RunStep, Scenario
from training.roleplay.runs import review, review_queue, start_or_resume
from training.roleplay.script import NodeKind
from training.roleplay.services import (
    assign_scenario,
    get_scenario_assignment,
    played,
    remove_scenario_assignment,
    save,
    scenario_reach,
    set_archived,
    set_max_runs,
)
from training.unit_of_work import unit_of_work

register_nav("roleplay.manage", _l("情景演练"), "chat-square-quote", "trainer", order=225,
             group=TEACH)

REVIEWS_PER_PAGE = 10  # the oldest first; a review sends the trainer back to the page they were on
KIND_LABELS = {
    NodeKind.CUSTOMER: _l("客户"), NodeKind.NARRATION: _l("旁白"), NodeKind.DECISION: _l("选择"),
    NodeKind.FREE_TEXT: _l("自由回答"), NodeKind.END: _l("结束"),
}


def _scenario(scenario_id: int) -> Scenario:
    scenario = db.session.get(Scenario, scenario_id)
    if scenario is None:
        raise NotFound(_("场景不存在。"))
    return scenario


# ---------------------------------------------------------------- list and import


@bp.route("/manage/")
def manage():
    archived = request.args.get("archived") == "1"
    return render_template("roleplay/manage/list.html", rows=scenario_list(archived),
                           archived=archived, queue=len(review_queue()))


@bp.route("/manage/import", methods=["GET", "POST"])
def import_scenario():
    form = ImportForm()
    problems: list = []
    if form.validate_on_submit():
        upload = form.file.data
        text = form.text.data or ""
        try:
            with unit_of_work(passes=(ScenarioInvalid,)) as work:
                if upload:
                    data = upload.read()
                    check_upload(data, upload.filename)  # size, binary: refused unread
                    text = form.text.data = data.decode("utf-8-sig", errors="replace")
                stem = upload.filename.rsplit(".", 1)[0] if upload else ""
                version = save(text, actor=current_user, key=stem)
                work.message = _("已导入「%(title)s」（第 %(n)d 版）。", title=version.scenario.title,
                                 n=version.number)
        except ScenarioInvalid as refused:
            flash(refused.message, "danger")
            problems = _located(refused.problems, text)
        else:
            if work.done:
                return redirect(url_for("roleplay.edit", scenario_id=version.scenario_id))
    return render_template("roleplay/manage/import.html", form=form, problems=problems,
                           lines=(form.text.data or "").splitlines())


def _located(problems: list, text: str) -> list[yaml_format.Problem]:
    """Every problem with a line: the graph's carry only their node, so look its line up."""
    lines = yaml_format.node_lines(text)
    located = []
    for problem in problems:
        line = getattr(problem, "line", None) or lines.get(problem.node or "")
        located.append(yaml_format.Problem(line, problem.node, getattr(problem, "field", ""),
                                           problem.message,
                                           getattr(problem, "severity", "error")))
    return sorted(located, key=lambda p: (p.line is None, p.line or 0))


# ---------------------------------------------------------------- the editor


def _add_form(script) -> AddNodeForm:
    return AddNodeForm(kinds=[SelectChoice(k.value, KIND_LABELS[k]) for k in NodeKind],
                       links=[SelectChoice(link.key, str(link)) for link in editor.links(script)])


def _editor_page(scenario: Scenario, *, node_id: str | None = None, node_form=None,
                 settings=None, problems=()):
    """The editor: the saved scenario's graph and checks, the node list, and one form (with
    the problems of a refused save marked on the nodes they are about)."""
    script = scenario.latest.script
    check = graph.check(script)
    marks: dict[str, str] = {}
    for problem in [*check.problems, *problems]:
        if problem.node and marks.get(problem.node) != "error":
            marks[problem.node] = getattr(problem, "severity", "error")
    settings = settings or SettingsForm(data=settings_data(script), channels=_channels(),
                                        nodes=list(script.nodes))
    return render_template(
        "roleplay/manage/edit.html", scenario=scenario, script=script, check=check,
        view=graphview.layout(script), marks=marks, node_id=node_id, node_form=node_form,
        settings=settings, add=_add_form(script), problems=list(problems),
        kind_labels=KIND_LABELS,
        delete=DeleteForm(), played=played(scenario.latest),
        node_url=lambda node: url_for("roleplay.edit_node", scenario_id=scenario.id, node_id=node),
    )


def _channels() -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in CHANNEL_LABELS.items()]


@bp.route("/manage/<int:scenario_id>")
def edit(scenario_id: int):
    return _editor_page(_scenario(scenario_id))


@bp.route("/manage/<int:scenario_id>/settings", methods=["POST"])
def save_settings(scenario_id: int):
    scenario = _scenario(scenario_id)
    script = scenario.latest.script
    form = SettingsForm(channels=_channels(), nodes=list(script.nodes))
    if not form.validate_on_submit():
        return _editor_page(scenario, settings=form)
    try:
        with unit_of_work(_("场景设置已保存。"), passes=(ScenarioInvalid,)):
            editor.update_settings(scenario, script, to_settings(form), actor=current_user)
    except ScenarioInvalid as refused:
        flash(refused.message, "danger")
        return _editor_page(scenario, settings=form, problems=refused.problems)
    return redirect(url_for("roleplay.edit", scenario_id=scenario.id))


def _node_form(script, node, **kwargs) -> NodeForm:
    targets = [SelectChoice(n, f"{n} · {KIND_LABELS[script.nodes[n].kind]}")
               for n in script.nodes if n != node.id]
    outcomes = [SelectChoice(k, label) for k, label in OUTCOME_LABELS.items()]
    return NodeForm(targets=targets, outcomes=outcomes, **kwargs)


@bp.route("/manage/<int:scenario_id>/nodes/<node_id>", methods=["GET", "POST"])
def edit_node(scenario_id: int, node_id: str):
    scenario = _scenario(scenario_id)
    script = scenario.latest.script
    node = script.nodes.get(node_id)
    if node is None:
        raise NotFound(_("节点不存在。"))
    form = _node_form(script, node) if request.method == "POST" else _node_form(
        script, node, data=node_data(node))
    if not form.validate_on_submit():
        return _editor_page(scenario, node_id=node_id, node_form=form)
    try:
        with unit_of_work(_("节点 %(id)s 已保存。", id=node_id), passes=(ScenarioInvalid,)):
            editor.update_node(scenario, script, form.to_node(node), actor=current_user)
    except ScenarioInvalid as refused:
        flash(refused.message, "danger")
        return _editor_page(scenario, node_id=node_id, node_form=form, problems=refused.problems)
    return redirect(url_for("roleplay.edit_node", scenario_id=scenario.id, node_id=node_id))


@bp.route("/manage/<int:scenario_id>/nodes", methods=["POST"])
def add_node(scenario_id: int):
    scenario = _scenario(scenario_id)
    script = scenario.latest.script
    form = _add_form(script)
    if not form.validate_on_submit():
        flash("；".join(e for errors in form.errors.values() for e in errors), "danger")
        return redirect(url_for("roleplay.edit", scenario_id=scenario.id))
    try:
        with unit_of_work(_("已添加节点 %(id)s，请填写内容。", id=form.id.data),
                          passes=(ScenarioInvalid,)):
            editor.add_node(scenario, script, form.id.data, NodeKind(form.kind.data),
                            form.after.data, actor=current_user)
    except ScenarioInvalid as refused:
        flash(refused.message, "danger")
        return _editor_page(scenario, problems=refused.problems)
    return redirect(url_for("roleplay.edit_node", scenario_id=scenario.id, node_id=form.id.data))


@bp.route("/manage/<int:scenario_id>/nodes/<node_id>/delete", methods=["POST"])
def delete_node(scenario_id: int, node_id: str):
    scenario = _scenario(scenario_id)
    script = scenario.latest.script
    if node_id not in script.nodes or not DeleteForm().validate_on_submit():
        raise NotFound(_("节点不存在。"))
    try:
        with unit_of_work(_("节点 %(id)s 已删除。", id=node_id), passes=(ScenarioInvalid,)):
            editor.delete_node(scenario, script, node_id, actor=current_user)
    except ScenarioInvalid as refused:
        flash(refused.message, "danger")
        return _editor_page(scenario, node_id=node_id, problems=refused.problems)
    return redirect(url_for("roleplay.edit", scenario_id=scenario.id))


@bp.route("/manage/<int:scenario_id>/export")
def export(scenario_id: int):
    scenario = _scenario(scenario_id)
    name = quote(f"{scenario.key}.yaml")
    return scenario.latest.source, 200, {
        "Content-Type": "application/x-yaml; charset=utf-8",
        "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
    }


@bp.route("/manage/<int:scenario_id>/playtest", methods=["POST"])
def playtest(scenario_id: int):
    """Play the latest version as the trainer: a play-test run, counted nowhere."""
    scenario = _scenario(scenario_id)
    if not DeleteForm().validate_on_submit():
        return redirect(url_for("roleplay.edit", scenario_id=scenario.id))
    with unit_of_work() as work:
        run = start_or_resume(current_user, scenario, playtest=True)
    if not work.done:
        return redirect(url_for("roleplay.edit", scenario_id=scenario.id))
    return redirect(url_for("roleplay.play", run_id=run.id))


# ---------------------------------------------------------------- assignment


def _assign_page(scenario: Scenario, form: AudienceForm | None = None,
                 limit: LimitForm | None = None):
    """The assignment page: the assignments with whom each reaches, the form adding more, the
    limit of runs and archiving."""
    return render_template(
        "roleplay/manage/assign.html", scenario=scenario, reach=scenario_reach(scenario),
        form=form or AudienceForm().with_choices(),
        limit=limit or LimitForm(data={"max_runs": scenario.max_runs}), archive=DeleteForm(),
    )


@bp.route("/manage/<int:scenario_id>/assign", methods=["GET", "POST"])
def assign(scenario_id: int):
    scenario = _scenario(scenario_id)
    form = AudienceForm().with_choices()
    if form.validate_on_submit():
        users, unknown = find_users(form.users.data or "")
        with unit_of_work(_("分配已保存。")) as work:
            if unknown:
                raise DomainError(_("找不到这些学员：%(names)s", names="、".join(unknown)))
            assign_scenario(scenario, form.wanted([u.id for u in users]), form.due_at(),
                            actor=current_user)
        if work.done:
            return redirect(url_for("roleplay.assign", scenario_id=scenario.id))
    return _assign_page(scenario, form)


@bp.route("/manage/<int:scenario_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
def unassign(scenario_id: int, assignment_id: int):
    assignment = get_scenario_assignment(_scenario(scenario_id), assignment_id)
    with unit_of_work(_("已取消该分配。")):
        remove_scenario_assignment(assignment, actor=current_user)
    return redirect(url_for("roleplay.assign", scenario_id=scenario_id))


@bp.route("/manage/<int:scenario_id>/limit", methods=["POST"])
def limit_runs(scenario_id: int):
    scenario = _scenario(scenario_id)
    form = LimitForm()
    if not form.validate_on_submit():
        return _assign_page(scenario, limit=form)
    with unit_of_work(_("练习次数已保存。")):
        set_max_runs(scenario, form.max_runs.data, actor=current_user)
    return redirect(url_for("roleplay.assign", scenario_id=scenario.id))


@bp.route("/manage/<int:scenario_id>/archive", methods=["POST"])
def archive(scenario_id: int):
    scenario = _scenario(scenario_id)
    if DeleteForm().validate_on_submit():
        done = _("已恢复。") if scenario.archived else _("已归档，员工不再看到该场景。")
        with unit_of_work(done):
            set_archived(scenario, not scenario.archived, actor=current_user)
    return redirect(url_for("roleplay.assign", scenario_id=scenario.id))


# ---------------------------------------------------------------- review queue


@bp.route("/manage/reviews")
def reviews():
    scenario_id = request.args.get("scenario", type=int)
    scenario = _scenario(scenario_id) if scenario_id else None
    queue = review_queue(scenario)
    pages = max(1, -(-len(queue) // REVIEWS_PER_PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    steps = queue[(page - 1) * REVIEWS_PER_PAGE:page * REVIEWS_PER_PAGE]
    verdicts = {s.id: judge(s.run.version.script.nodes[s.node_id], s.text or "") for s in steps}
    return render_template("roleplay/manage/reviews.html", steps=steps, total=len(queue),
                           page=page, pages=pages, scenario=scenario, verdicts=verdicts,
                           forms={s.id: _review_form(s) for s in steps})


def _review_form(step: RunStep) -> ReviewForm:
    """The step's form, filled with the suggested points (prefixed: one form per reply)."""
    weights = step.run.version.script.weights
    suggested = {str(name): step.points.get(str(name), 0) for name in weights}
    return ReviewForm(data=suggested, prefix=f"s{step.id}")


@bp.route("/manage/reviews/<int:step_id>", methods=["POST"])
def review_step(step_id: int):
    step = db.session.get(RunStep, step_id)
    if step is None or not step.suggested:
        raise NotFound(_("该回复不存在。"))
    form = ReviewForm(prefix=f"s{step.id}")
    back = url_for("roleplay.reviews", scenario=request.args.get("scenario", type=int),
                   page=request.args.get("page", type=int))
    if not form.validate_on_submit():
        flash(_("请填写评分理由。"), "danger")
        return redirect(back)
    names = [str(d) for d in step.run.version.script.weights if str(d) != "mood"]
    points = {name: form[name].data or 0 for name in names}
    before = step.run.score
    with unit_of_work() as work:
        run = review(step, points, reviewer=current_user, reason=form.reason.data)
        work.message = _("已评分：%(user)s 的练习得分 %(before)s → %(after)s。",
                         user=run.user.display_name, before=_score(before), after=_score(run.score))
    return redirect(back)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


# ---------------------------------------------------------------- insight


@bp.route("/manage/<int:scenario_id>/insight")
def scenario_insight(scenario_id: int):
    scenario = _scenario(scenario_id)
    return render_template("roleplay/manage/insight.html", scenario=scenario,
                           data=insight(scenario), queue=len(review_queue(scenario)))


@bp.route("/manage/<int:scenario_id>/insight.xlsx")
def insight_xlsx(scenario_id: int):
    scenario = _scenario(scenario_id)
    name = quote(_("情景演练数据-%(title)s.xlsx", title=scenario.title))
    return insight_workbook(insight(scenario)), 200, {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
    }
