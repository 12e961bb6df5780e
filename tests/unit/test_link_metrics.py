"""The federation links on /metrics (services/reporting/feed_metrics.LinkCollector): nothing before the
first read, each link 1 or 0 as the broker says, and 'unknown' (not 'down') when the broker's
management API does not answer, said once in the log."""
import logging

from services.reporting.feed_metrics import LinkCollector
from shared import sites


def samples(collector):
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for family in collector.collect()
            for s in family.samples}


def test_links_as_the_broker_tells_them_and_unknown_when_it_does_not(monkeypatch, caplog):
    answers = [{("ksn", "rongtuk.feed"): True, ("ksn", "rongtuk.sites"): False}, sites.LinkError("refused"),
               sites.LinkError("refused")]

    def links_up(api, vhost, timeout):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer
    monkeypatch.setattr(sites, "links_up", links_up)
    collector = LinkCollector("http://broker:15672", "rongtuk-hub")
    assert samples(collector) == {}   # before the first read: no figure rather than a false one

    collector.refresh()
    assert samples(collector) == {
        ("rongtuk_federation_links_known", ()): 1,
        ("rongtuk_federation_link_up", (("exchange", "rongtuk.feed"), ("upstream", "ksn"))): 1,
        ("rongtuk_federation_link_up", (("exchange", "rongtuk.sites"), ("upstream", "ksn"))): 0}

    with caplog.at_level(logging.WARNING):
        collector.refresh()
        collector.refresh()
    assert samples(collector) == {("rongtuk_federation_links_known", ()): 0}
    assert len([r for r in caplog.records if "could not be read" in r.getMessage()]) == 1
