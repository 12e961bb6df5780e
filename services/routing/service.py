"""routing: who handles each case, why, the officers' corrections, and cases between sites."""
from functools import partial

from nameko.dependency_providers import Config
from nameko.rpc import RpcProxy

from services.routing import assignments, forwarding, knowledge_admin, result_documents
from services.routing.dependencies import Routing
from services.routing.exceptions import KnowledgeError, RoutingError, SiteMismatch
from shared.config import sites_linked
from shared.delivery import Unprocessable, event_handler, site_event_handler
from shared.metrics import Metrics
from shared.rpc import call_with_timeout, rpc, rpc_timeout
from shared.store import Database


class RoutingService:
    name = "routing"

    db = Database()
    metrics = Metrics()
    routing = Routing()
    config = Config()
    intake = RpcProxy("intake")

    @event_handler("intake", "case_received")
    def route_case(self, event):
        self.db.handle(event, assignments.route_case, self.routing)

    @rpc(expected_exceptions=RoutingError)
    def confirm(self, case_id, officer):
        return self.db.run(assignments.confirm, case_id, officer)

    @rpc(expected_exceptions=RoutingError)
    def reroute(self, case_id, unit_id, reason, officer):
        return self.db.run(assignments.reroute, case_id, unit_id, reason, officer, self.routing.directory)

    @rpc(expected_exceptions=RoutingError)
    def change_kind(self, case_id, kind, reason, officer):
        return self.db.run(assignments.change_kind, case_id, kind, reason, officer)

    @rpc(expected_exceptions=RoutingError)
    def request_info(self, case_id, question, officer):
        return self.db.run(assignments.request_info, case_id, question, officer)

    @rpc(expected_exceptions=RoutingError)
    def info_received(self, case_id, officer):
        return self.db.run(assignments.info_received, case_id, officer)

    @rpc(expected_exceptions=RoutingError)
    def assign_units(self, case_id, unit_ids, reason, officer):
        return self.db.run(assignments.assign_units, case_id, unit_ids, reason, officer, self.routing.directory)

    @rpc(expected_exceptions=RoutingError)
    def set_unit_status(self, case_id, unit_id, status, officer, note=None):
        return self.db.run(assignments.set_unit_status, case_id, unit_id, status, officer, note)

    @rpc
    def case_units(self, case_id):
        with self.db.reading() as session:
            return assignments.units_of(session, case_id)

    @rpc(expected_exceptions=RoutingError)
    def forward(self, case_id, to_site, reason, officer):
        """Forward the case to another site, with the record intake keeps (identity only where allowed)."""
        linked = sites_linked(self.config)
        record_of = partial(call_with_timeout, self.intake.forward_record, timeout=rpc_timeout(self.config))
        return forwarding.forward_case(self.db, self.routing.directory, case_id, to_site, reason, officer,
                                       record_of, linked)

    @rpc(expected_exceptions=RoutingError)
    def answer(self, case_id, answer, officer, unit_id=None, documents=None):
        """The case's answer, with its result documents ([{filename, content_type, content_base64}])."""
        uploads = result_documents.decode(documents)
        return self.db.run(forwarding.answer, case_id, answer, officer, unit_id, uploads, self.routing.files)

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

    @rpc(expected_exceptions=KnowledgeError)
    def kb_put(self, entry, officer):
        """Add an entry ({id, questions, answer, unit}) or replace the one with its id."""
        changed = self.db.run(knowledge_admin.put, entry, officer, self.routing.directory.units)
        self.routing.knowledge_changed()
        return changed

    @rpc(expected_exceptions=KnowledgeError)
    def kb_remove(self, entry_id, officer):
        removed = self.db.run(knowledge_admin.remove, entry_id, officer)
        self.routing.knowledge_changed()
        return removed
