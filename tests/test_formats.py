"""WARC archives, RSS and Atom feeds, and HTML page metadata: files written here, read through the real CLI."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from pathlib import Path

from searchnews.errors import InputError
from searchnews.ingest import read_path
from searchnews.ingest.feeds import NotAFeed, feed_root
from searchnews.ingest.html import clean_headline
from searchnews.ingest.warc import SKIP_NOT_HTML, SKIP_NOT_RESPONSE, SKIP_STATUS, read_warc
from searchnews.model import Article

# --- pages -----------------------------------------------------------------------------------------------------


def page(headline: str, paragraphs: list[str], *, head: str = "", body_extra: str = "", title: str = "") -> str:
    """An article page as news sites write them: header, navigation, the article in <article>, a footer."""
    text = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title or headline}</title>{head}</head>
<body>{body_extra}
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{headline}</h1>
{text}</article>
<footer><p>Copyright The Valley Gazette. All rights reserved.</p></footer>
</body></html>"""


HARBOUR = [
    "Dock workers in Porthaven returned to work on Monday after a two-week strike over pay and conditions.",
    "The union said the agreement raised wages for every grade of worker on the quays by six per cent this year.",
    'Union leader Maria Lopez said: "We have won a fair deal for every worker on this harbour, and we are proud."',
    "The harbour authority said the backlog of container ships waiting offshore would clear within the week.",
]
ORCHARD = [
    "Growers in the Alder valley fear that a late frost will damage a large part of this year's apple crop.",
    "Temperatures fell to four degrees below freezing overnight, the coldest April night in a decade in the valley.",
    'Farmer Tom Baker said: "We may lose half the blossom if the cold stays for another night or two."',
    "Some growers lit braziers between the rows of trees to keep the air moving and the blossom above freezing.",
]
MUSEUM = [
    "The municipal museum in Brightwell reopened on Saturday after a year of renovation work costing millions.",
    "Queues formed before the doors opened at nine, and more than four thousand visitors came on the first day.",
    'Director Anna Kowalska said: "Visitors will find the dinosaur hall twice as large as it was before."',
    "The new café on the roof looks over the river and the old town, and stays open late on Fridays in summer.",
]
TRAMS = [
    "The tram line from the station to the coast opened its last four stops to passengers on Thursday morning.",
    "The extension took three years to build and runs along the old railway line through the dunes to the beach.",
    'The mayor said: "Nobody in this city will need a car to reach the sea on a summer day any more."',
    "Trams will run every eight minutes at peak times and every quarter of an hour in the evening until midnight.",
]


# --- WARC ------------------------------------------------------------------------------------------------------

DATED_HEAD = '<meta property="article:published_time" content="2021-03-04T08:00:00Z">'


def write_warc(path: Path, *, gzipped: bool) -> None:
    """A small crawl: warcinfo, a request, four HTML pages (one captured twice), JSON, a 404 and metadata."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test crawler"}))

        def response(url: str, body: str, *, status: str = "200 OK", content_type: str = "text/html; charset=utf-8"):
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            return writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body.encode("utf-8")),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-05-06T10:11:12Z"},
            )

        request_headers = StatusAndHeaders("GET /harbour HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record("https://news.example/harbour", "request", http_headers=request_headers)
        )
        writer.write_record(response("https://news.example/harbour", page("Harbour strike ends", HARBOUR)))
        writer.write_record(
            response("https://news.example/orchard", page("Frost threatens apples", ORCHARD, head=DATED_HEAD))
        )
        api = '{"items": [1, 2, 3]}'
        writer.write_record(response("https://news.example/api/items", api, content_type="application/json"))
        writer.write_record(response("https://news.example/missing", page("Not found", MUSEUM), status="404 Not Found"))
        writer.write_record(response("https://news.example/museum", page("Museum reopens with a dinosaur", MUSEUM)))
        # The same URL captured again later in the crawl: a second article, with an id of its own.
        writer.write_record(response("https://news.example/harbour", page("Harbour strike ends", [*HARBOUR, TRAMS[0]])))
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/harbour",
                "metadata",
                payload=io.BytesIO(b"outlinks: https://news.example/news\n"),
                warc_content_type="application/warc-fields",
            )
        )


def test_warc_gz_indexes_html_responses_with_urls_and_dates_through_the_cli(run, tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, gzipped=True)
    ix = tmp_path / "ix"

    result = run("index", "--index", ix, warc, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    # four HTML pages with status 200 (the harbour twice); request, warcinfo, metadata, JSON and the 404 are not
    assert (summary["indexed"], summary["failed"], summary["articles"]) == (4, [], 4)
    assert sum(summary["skipped"].values()) >= 4 and summary["skipped"]["HTTP status not 200"] == 1
    assert "archive records that are not article pages" in result.stderr

    hits = {hit["url"]: hit for hit in json.loads(run("search", "Porthaven", "--index", ix, "--json").stdout)}
    assert set(hits) == {"https://news.example/harbour"}
    assert len(json.loads(run("search", "Porthaven", "--index", ix, "--json").stdout)) == 2
    harbour = next(iter(hits.values()))
    assert harbour["date"] == "2024-05-06"  # the page gives no date: the capture's
    assert harbour["headline"] == "Harbour strike ends"
    orchard = json.loads(run("search", "blossom braziers", "--index", ix, "--json").stdout)
    assert [(h["url"], h["date"]) for h in orchard] == [("https://news.example/orchard", "2021-03-04")]
    assert json.loads(run("search", "dinosaur", "--index", ix, "--json").stdout)[0]["url"] == (
        "https://news.example/museum"
    )
    assert run("search", "items", "--index", ix, "--json").stdout.strip() == "[]"

    again = json.loads(run("index", "--index", ix, warc, "--json").stdout)
    assert (again["indexed"], again["unchanged"], again["failed"]) == (0, 4, [])


def test_warc_ids_skipped_records_and_progress(tmp_path: Path) -> None:
    plain, packed = tmp_path / "crawl.warc", tmp_path / "crawl.warc.gz"
    write_warc(plain, gzipped=False)
    write_warc(packed, gzipped=True)
    skipped: Counter[str] = Counter()
    positions: list[int] = []
    articles = list(read_warc(packed, on_position=positions.append, on_skipped=lambda reason: skipped.update([reason])))
    assert all(isinstance(a, Article) for a in articles)
    ids = [a.id for a in articles]
    assert ids[:3] == ["https://news.example/harbour", "https://news.example/orchard", "https://news.example/museum"]
    assert ids[3].startswith(f"{packed.as_posix()}#") and ids[3].split("#")[1].isdigit()
    assert {a.path for a in articles} == {packed.as_posix()}
    assert ids == [a.id for a in read_warc(packed)]  # the same every run
    assert skipped == Counter({SKIP_NOT_RESPONSE: 3, SKIP_STATUS: 1, SKIP_NOT_HTML: 1})
    assert positions[-1] == packed.stat().st_size

    # an uncompressed archive, through read_path, reads alike
    unpacked = list(read_path(plain))
    assert [(a.url, a.date, a.body) for a in unpacked] == [(a.url, a.date, a.body) for a in articles]


def test_warc_progress_is_reported_while_reading(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    warc = tmp_path / "requests.warc.gz"
    with open(warc, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n in range(100):
            headers = StatusAndHeaders(f"GET /{n} HTTP/1.1", [("Host", "a.example")], is_http_request=True)
            writer.write_record(writer.create_warc_record(f"https://a.example/{n}", "request", http_headers=headers))
    positions: list[int] = []
    assert list(read_path(warc, on_position=positions.append)) == []
    assert len(positions) >= 5 and positions == sorted(positions)
    assert 0 < positions[0] < warc.stat().st_size == positions[-1]


def test_files_that_are_no_warc_are_reported_not_raised(tmp_path: Path) -> None:
    text = tmp_path / "notes.warc"
    text.write_text("this is not an archive\n" * 10)
    packed = tmp_path / "notes.warc.gz"
    packed.write_bytes(gzip.compress(b"this is not an archive either\n"))
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(b"\x1f\x8b" + bytes(range(256)))
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    for path in (text, packed, garbage, empty):
        (failure,) = list(read_path(path))
        assert isinstance(failure, InputError) and "not a WARC file" in failure.reason, path


# --- feeds -----------------------------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<?xml-stylesheet type="text/xsl" href="feed.xsl"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Valley Gazette</title>
  <link>https://gazette.example/</link>
  <description>News from the valley</description>
  <item>
    <title>Harbour strike ends</title>
    <link>https://gazette.example/harbour</link>
    <guid isPermaLink="false">gazette-1001</guid>
    <pubDate>Tue, 13 Jul 2021 09:30:00 +0000</pubDate>
    <dc:creator>Jo Caf\xe9</dc:creator>
    <description>A short teaser about the harbour.</description>
    <content:encoded><![CDATA[<p>{HARBOUR[0]}</p><p>{HARBOUR[1]}</p><p>{HARBOUR[2]}</p>]]></content:encoded>
  </item>
  <item>
    <title>Frost threatens apples</title>
    <link>https://gazette.example/orchard</link>
    <pubDate>Wed, 14 Jul 2021 23:30:00 +0000</pubDate>
    <description>&lt;p&gt;{ORCHARD[0]}&lt;/p&gt;&lt;p&gt;{ORCHARD[1]}&lt;/p&gt;</description>
  </item>
  <item>
    <description>{ORCHARD[3]}</description>
  </item>
</channel>
</rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<!-- written by a test -->
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Brightwell Post</title>
  <id>urn:uuid:feed-1</id>
  <updated>2022-02-03T12:00:00Z</updated>
  <entry>
    <title type="html">Museum reopens with a &lt;i&gt;dinosaur&lt;/i&gt;</title>
    <id>tag:post.example,2022:museum</id>
    <link rel="alternate" href="https://post.example/museum"/>
    <published>2022-02-01T08:00:00+01:00</published>
    <updated>2022-02-02T08:00:00Z</updated>
    <author><name>Anna Writer</name></author>
    <summary>Only the summary.</summary>
    <content type="html">&lt;p&gt;{MUSEUM[0]}&lt;/p&gt;&lt;p&gt;{MUSEUM[2]}&lt;/p&gt;
      &lt;table&gt;&lt;tr&gt;&lt;td&gt;Adults&lt;/td&gt;&lt;td&gt;12 euros&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</content>
  </entry>
  <entry>
    <title>Tram reaches the coast</title>
    <id>tag:post.example,2022:trams</id>
    <link href="https://post.example/trams"/>
    <updated>2022-02-03T07:00:00Z</updated>
    <summary type="text">{TRAMS[0]}</summary>
  </entry>
</feed>
"""


def test_rss_and_atom_index_with_urls_dates_and_sources_through_the_cli(run, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "gazette.rss").write_bytes(RSS.encode("iso-8859-1"))
    (feeds / "post.atom").write_text(ATOM, encoding="utf-8")
    ix = tmp_path / "ix"

    result = run("index", "--index", ix, feeds, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["indexed"], summary["failed"]) == (5, [])

    def one(query: str) -> dict:
        (hit,) = json.loads(run("search", query, "--index", ix, "--json").stdout)
        return hit

    harbour = one("Porthaven")
    assert (harbour["id"], harbour["url"], harbour["date"], harbour["source"]) == (
        "gazette-1001",
        "https://gazette.example/harbour",
        "2021-07-13",
        "Valley Gazette",
    )
    assert one("Lopez")["headline"] == "Harbour strike ends"  # content, not the teaser
    assert json.loads(run("search", "teaser", "--index", ix, "--json").stdout) == []
    orchard = one("Alder")
    assert (orchard["id"], orchard["url"], orchard["date"]) == (
        "https://gazette.example/orchard",  # no guid: the link
        "https://gazette.example/orchard",
        "2021-07-14",
    )
    assert one("braziers")["id"] == f"{(feeds / 'gazette.rss').as_posix()}#2"  # neither guid nor link
    museum = one("Kowalska")
    assert (museum["headline"], museum["url"], museum["date"], museum["source"]) == (
        "Museum reopens with a dinosaur",
        "https://post.example/museum",
        "2022-02-01",
        "Brightwell Post",
    )
    trams = one("stops")
    assert (trams["url"], trams["date"]) == ("https://post.example/trams", "2022-02-03")  # updated, no published


def test_feed_items_fields_and_paragraphs(tmp_path: Path) -> None:
    rss, atom = tmp_path / "g.rss", tmp_path / "p.atom"
    rss.write_bytes(RSS.encode("iso-8859-1"))
    atom.write_text(ATOM, encoding="utf-8")
    harbour = next(iter(read_path(rss)))
    assert isinstance(harbour, Article)
    assert harbour.paragraphs == tuple(HARBOUR[:3])
    assert harbour.author == "Jo Café"  # the declared encoding honoured
    museum = next(iter(read_path(atom)))
    assert isinstance(museum, Article)
    assert museum.paragraphs == (MUSEUM[0], MUSEUM[2], "Adults | 12 euros")
    assert museum.author == "Anna Writer"


def test_xml_is_read_as_a_feed_only_when_its_root_is_one(run, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "news.xml").write_text(ATOM, encoding="utf-8")
    sitemap = folder / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://post.example/museum</loc></url></urlset>\n"
    )
    (folder / "broken.rss").write_text("<rss><channel><item><title>cut")
    result = run("index", "--index", tmp_path / "ix", folder, "--json")
    summary = json.loads(result.stdout)
    assert summary["indexed"] == 2  # the two entries of news.xml
    failed = {f["path"]: f["error"] for f in summary["failed"]}
    assert summary["unsupported"] == [str(sitemap)]  # content searchnews does not read, not a failure
    assert "news.xml" not in str(summary["unsupported"]) and str(sitemap) not in failed
    assert str(folder / "broken.rss") in failed
    assert result.exit_code == 1 and "Traceback" not in result.output
    (not_a_feed,) = list(read_path(sitemap))
    assert isinstance(not_a_feed, NotAFeed)


def test_feed_root_sniffing() -> None:
    assert feed_root(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><!DOCTYPE rss><rss version="2.0">') == "rss"
    assert feed_root(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">') == "rdf"
    assert feed_root(b"<a:feed xmlns:a='http://www.w3.org/2005/Atom'>") == "feed"
    assert feed_root(b"<?xml version='1.0'?><svg/>") == "svg"
    assert feed_root(b"plain text") is None


def test_gzipped_feed(tmp_path: Path) -> None:
    path = tmp_path / "post.atom.gz"
    path.write_bytes(gzip.compress(ATOM.encode("utf-8")))
    assert [a.url for a in read_path(path) if isinstance(a, Article)] == [
        "https://post.example/museum",
        "https://post.example/trams",
    ]


# --- HTML metadata ---------------------------------------------------------------------------------------------


def read_page(tmp_path: Path, html: str) -> Article:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    (article,) = list(read_path(path))
    assert isinstance(article, Article), article
    return article


def test_url_from_canonical_link_or_og_url_when_trafilatura_finds_none(tmp_path: Path) -> None:
    # Broken heads put these in the body, where trafilatura does not look.
    canonical = '<link rel="canonical" href="https://gazette.example/harbour">'
    assert read_page(tmp_path, page("Harbour strike ends", HARBOUR, body_extra=canonical)).url == (
        "https://gazette.example/harbour"
    )
    og_url = '<meta property="og:url" content="https://gazette.example/orchard">'
    assert read_page(tmp_path, page("Frost threatens apples", ORCHARD, body_extra=og_url)).url == (
        "https://gazette.example/orchard"
    )
    relative = '<link rel="canonical" href="/museum">'
    assert read_page(tmp_path, page("Museum reopens", MUSEUM, body_extra=relative)).url == ""


def test_site_name_is_stripped_from_headlines(tmp_path: Path) -> None:
    site = '<meta property="og:site_name" content="Valley Gazette">'
    title = "Harbour strike ends after two weeks | Valley Gazette"
    article = read_page(tmp_path, page("Harbour strike ends after two weeks", HARBOUR, head=site, title=title))
    assert article.headline == "Harbour strike ends after two weeks"
    # The headline is the site's name: og:title says more.
    only_site = site + '<meta property="og:title" content="Frost threatens apples - Valley Gazette">'
    article = read_page(tmp_path, page("Frost threatens apples", ORCHARD, head=only_site, title="Valley Gazette"))
    assert article.headline == "Frost threatens apples"


def test_clean_headline_rules() -> None:
    sites = ["Valley Gazette"]
    assert clean_headline("Harbour strike ends - Valley Gazette", sites) == "Harbour strike ends"
    assert clean_headline("Harbour strike ends | The Valley Gazette", sites) == "Harbour strike ends"
    assert clean_headline("Valley Gazette | Harbour strike ends", sites) == "Harbour strike ends"
    assert clean_headline("Harbour strike ends | VALLEY GAZETTE | by Jo Smith", sites) == "Harbour strike ends"
    tagline = "Valley Gazette | News you can trust: Harbour strike ends"
    assert clean_headline(tagline, sites, ("Harbour strike ends",)) == "Harbour strike ends"
    assert clean_headline(tagline, sites) == "News you can trust: Harbour strike ends"  # no evidence: kept
    assert clean_headline("Valley Gazette", sites, ("", "Harbour strike ends")) == "Harbour strike ends"
    assert clean_headline("Valley Gazette", sites) == "Valley Gazette"
    assert clean_headline("Globalnews.ca", ["Globalnews.ca"], ("Tram reaches the coast",)) == "Tram reaches the coast"
    # conservative: only the site's own name, only at either end, only at a spaced separator
    assert clean_headline("Valley Gazette wins award - Valley Gazette", sites) == "Valley Gazette wins award"
    assert clean_headline("Frost hits Valley Gazette readers", sites) == "Frost hits Valley Gazette readers"
    assert clean_headline("Harbour strike ends - Porthaven Post", sites) == "Harbour strike ends - Porthaven Post"
    assert clean_headline("Valley Gazette-owned press sold", sites) == "Valley Gazette-owned press sold"
    assert clean_headline("Harbour strike ends | by Jo Smith", sites) == "Harbour strike ends | by Jo Smith"
    assert clean_headline("Harbour strike ends - Valley Gazette", []) == "Harbour strike ends - Valley Gazette"


def test_table_rows_are_paragraphs_with_cells_apart(tmp_path: Path) -> None:
    table = (
        "<table><tr><th>Stop</th><th>Minutes</th></tr><tr><td>Station</td><td>0</td></tr>"
        "<tr><td>Beach</td><td>24</td></tr></table>"
    )
    html = page("Tram reaches the coast", TRAMS).replace(f"<p>{TRAMS[1]}</p>", f"<p>{TRAMS[1]}</p>{table}")
    article = read_page(tmp_path, html)
    assert "Station | 0" in article.paragraphs and "Beach | 24" in article.paragraphs
    assert TRAMS[3] in article.paragraphs
