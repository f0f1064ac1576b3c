"""The pages' markup: paragraphs, headings, lists and links, and never raw HTML."""

from pages.markup import render


class MarkupTests:
    def test_paragraphs_line_breaks_headings_and_lists(self):
        source = (
            "First paragraph,\nsame paragraph.\r\n\r\n## What we do\n\n- one\n- two\n\n   \n\nLast."
        )
        assert render(source) == (
            "<p>First paragraph,<br>same paragraph.</p>\n<h2>What we do</h2>\n"
            "<ul><li>one</li><li>two</li></ul>\n<p>Last.</p>"
        )

    def test_html_in_the_source_is_shown_as_text(self):
        html = render('<script>alert(1)</script> <a href="x" onclick="y">z</a>\n\n## <b>h</b>')
        assert "<script" not in html and "<a href" not in html and "<b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<h2>&lt;b&gt;h&lt;/b&gt;</h2>" in html

    def test_links_to_the_web_to_mail_and_to_this_site(self):
        html = render(
            "See [the licence](https://creativecommons.org/licenses/by/4.0/), "
            "[write](mailto:archive@example.org) or [the API](/api/docs/)."
        )
        assert '<a href="https://creativecommons.org/licenses/by/4.0/">the licence</a>' in html
        assert '<a href="mailto:archive@example.org">write</a>' in html
        assert '<a href="/api/docs/">the API</a>' in html

    def test_a_bare_address_links_to_itself_without_the_full_stop(self):
        html = render("Read https://example.org/a?b=1&c=2.")
        assert html == (
            '<p>Read <a href="https://example.org/a?b=1&amp;c=2">'
            "https://example.org/a?b=1&amp;c=2</a>.</p>"
        )

    def test_other_schemes_stay_text(self):
        for source in (
            "[x](javascript:alert(1))",
            "[x](data:text/html,hi)",
            "[x](//evil.example/)",
            "[x](/\\evil.example/)",
            'see [x](/a"onmouseover="b)',
        ):
            html = render(source)
            assert "javascript:<" not in html
            assert 'href="javascript' not in html and 'href="data' not in html
            assert 'href="//' not in html and 'onmouseover="' not in html, html

    def test_quotes_in_a_label_or_address_are_escaped(self):
        html = render('[a "b" <c>](/x\'y)')
        assert html == '<p><a href="/x&#x27;y">a &quot;b&quot; &lt;c&gt;</a></p>'

    def test_empty_text_renders_nothing(self):
        assert render("") == "" and render(" \n\n \n") == ""
