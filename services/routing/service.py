"""routing: who handles each case, why, the officers' corrections, and cases between sites."""
from functools import partial

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from services.routing import access, assignments, forwarding, knowledge_admin, result_documents
from services.routing.dependencies import Routing
from services.routing.exceptions import KnowledgeError, RoutingError, SiteMismatch
from shared.actors import ActingOfficer, Forbidden
from shared.config import site_id, sites_linked
from shared.delivery import Unprocessable, event_handler, site_event_handler
from shared.health import Health
from shared.metrics import Metrics
from shared.rpc import call_with_timeout, rpc, rpc_timeout
from shared.store import Database


class RoutingService:
    name = "routing"

    db = Database()
    metrics = Metrics()
    health = Health()
    routing = Routing()
    config = Config()
    intake = RpcProxy("intake")
    acting = ActingOfficer()  # who is acting: the officer the call carries (shared/actors.py)

    @event_handler("intake", "case_received")
    def route_case(self, event):
        self.db.handle(event, assignments.route_case, self.routing)

    # Officers' actions: the acting officer comes with the call (shared/actors.py), the policy decides
    # (services/routing/access.py), and the record names the actor, whatever a caller says.

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def confirm(self, case_id):
        return self._act("confirm", case_id, assignments.confirm)

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def reroute(self, case_id, unit_id, reason):
        return self._act("reroute", case_id, lambda tx, c, who: assignments.reroute(
            tx, c, unit_id, reason, who, self.routing.directory))

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def change_kind(self, case_id, kind, reason):
        return self._act("change_kind", case_id, lambda tx, c, who: assignments.change_kind(tx, c, kind, reason, who))

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def request_info(self, case_id, question):
        return self._act("request_info", case_id, lambda tx, c, who: assignments.request_info(tx, c, question, who))

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def info_received(self, case_id):
        return self._act("info_received", case_id, assignments.info_received)

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def assign_units(self, case_id, unit_ids, reason):
        return self._act("assign_units", case_id, lambda tx, c, who: assignments.assign_units(
            tx, c, unit_ids, reason, who, self.routing.directory))

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def set_unit_status(self, case_id, unit_id, status, note=None):
        return self._act("unit_status", case_id, lambda tx, c, who: assignments.set_unit_status(
            tx, c, unit_id, status, who, note))

    @rpc
    def case_units(self, case_id):
        with self.db.reading() as session:
            return assignments.units_of(session, case_id)

    @rpc
    def units_cases(self, unit_ids):
        """The ids of the cases these units still work on, as lead or support (the portal's queue)."""
        with self.db.reading() as session:
            return assignments.cases_of_units(session, unit_ids)

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def forward(self, case_id, to_site, reason):
        """Forward the case to another site, with the record intake keeps (identity only where allowed)."""
        actor = self.acting.required()
        if not self.db.run(access.check, actor, "forward", site_id(self.config), case_id):
            raise Forbidden("your role may not forward this case")
        linked = sites_linked(self.config)
        record_of = partial(call_with_timeout, self.intake.forward_record, timeout=rpc_timeout(self.config))
        forwarded = forwarding.forward_case(self.db, self.routing.directory, case_id, to_site, reason, actor.name,
                                            record_of, linked)
        self.db.run(access.record_allowed, actor, "forward", case_id)
        return forwarded

    @rpc(expected_exceptions=(RoutingError, Forbidden))
    def answer(self, case_id, answer, unit_id=None, documents=None):
        """The case's answer, with its result documents ([{filename, content_type, content_base64}])."""
        uploads = result_documents.decode(documents)
        return self._act("answer", case_id, lambda tx, c, who: forwarding.answer(
            tx, c, answer, who, unit_id, uploads, self.routing.files))

    def _act(self, action, case_id, use_case):
        """`use_case(tx, case_id, actor's name)` if the acting officer may; Forbidden (on record) if not."""
        actor = self.acting.required()
        done = self.db.run(access.act, actor, action, site_id(self.config), case_id, use_case, actor.name)
        if done is access.DENIED:
            raise Forbidden(f"your role may not {action.replace('_', ' ')} this case")
        return done

    @rpc
    def result_document(self, case_id, document_id):
        """A result document of the case kept here: {filename, content_type, content_base64}, or None."""
        with self.db.reading() as session:
            return forwarding.result_document(session, self.routing.files, case_id, document_id)

    @event_handler("intake", "case_reply_received")
    def take_reply(self, event):
        """The complainant's reply to an officer's question: the information received."""
        self.db.handle(event, assignments.reply_received)

    @site_event_handler("routing", "case_answered")
    def record_site_answer(self, event):
        try:
            self.db.handle(event, forwarding.record_site_answer)
        except SiteMismatch as exc:
            raise Unprocessable(str(exc)) from exc

    @rpc
    def directory(self):
        return self.routing.directory.as_mapping()

    @rpc
    def search_knowledge(self, text):
        return [{"id": e.id, "answer": e.answer, "unit_id": e.unit_id, "score": s}
                for e, s in (self.routing.knowledge.search(text) if self.routing.knowledge else [])]

    @rpc
    def kb_list(self):
        """The knowledge base's entries, by id: id, questions, answer, unit, updated_at, updated_by."""
        with self.db.reading() as session:
            return knowledge_admin.listing(session)

    @rpc(expected_exceptions=(KnowledgeError, Forbidden))
    def kb_put(self, entry):
        """Add an entry ({id, questions, answer, unit}) or replace the one with its id (administrators)."""
        actor = self.acting.required()
        named = {"entry": str(entry.get("id") if isinstance(entry, dict) else None)[:64]}
        changed = self.db.run(access.site_act, actor, "manage_knowledge", named,
                              knowledge_admin.put, entry, actor.name, self.routing.directory.units)
        if changed is access.DENIED:
            raise Forbidden("your role may not change the knowledge base")
        self.routing.knowledge_changed()
        return changed

    @rpc(expected_exceptions=(KnowledgeError, Forbidden))
    def kb_remove(self, entry_id):
        actor = self.acting.required()
        removed = self.db.run(access.site_act, actor, "manage_knowledge", {"entry": str(entry_id)[:64]},
                              knowledge_admin.remove, entry_id, actor.name)
        if removed is access.DENIED:
            raise Forbidden("your role may not change the knowledge base")
        self.routing.knowledge_changed()
        return removed
