using SiteCraft.Ml.Contracts.Core.Curation;

namespace SiteCraft.Ml.Contracts.Tests;

public sealed class PiiDetectorTests
{
    private static readonly PiiDetector s_detector = new("US");

    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("JANE.DOE+promo@Example.CO.UK")]
    [InlineData("jane_doe-99@mail.bakery-lyon.fr")]
    [InlineData("jane @ example.com")]
    [InlineData("jane＠example.com")]
    [InlineData("jane[at]example[dot]com")]
    [InlineData("jane (at) example (dot) org")]
    [InlineData("jane at example dot com")]
    [InlineData("Jane {AT} Example {DOT} IO")]
    public void Email_addresses_are_found_in_many_spellings(string email) =>
        AssertFinds(PiiKind.Email, email);

    [Theory]
    [InlineData("(415) 555-2671")]
    [InlineData("415.555.2671")]
    [InlineData("415-555-2671")]
    [InlineData("+1 415 555 2671")]
    [InlineData("+14155552671")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("+49 30 901820")]
    [InlineData("+33 1 42 68 53 00")]
    public void Phone_numbers_are_found_by_parsing_them(string phone) =>
        AssertFinds(PiiKind.Phone, phone);

    [Theory]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("5555-5555-5555-4444")]
    [InlineData("378282246310005")]
    [InlineData("6011111111111117")]
    public void Card_numbers_that_pass_the_luhn_check_are_found(string card) =>
        AssertFinds(PiiKind.CreditCard, card);

    [Theory]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("1234 5678 9012 3456")]
    [InlineData("9111111111111111")]
    public void Numbers_that_fail_the_luhn_check_or_have_no_card_prefix_are_not_cards(string number) =>
        Assert.DoesNotContain(s_detector.Find($"Order {number} shipped."), f => f.Kind == PiiKind.CreditCard);

    [Theory]
    [InlineData("192.168.1.20", PiiKind.IPv4)]
    [InlineData("8.8.8.8", PiiKind.IPv4)]
    [InlineData("2001:db8::8a2e:370:7334", PiiKind.IPv6)]
    [InlineData("fe80::1ff:fe23:4567:890a", PiiKind.IPv6)]
    [InlineData("2001:0db8:85a3:0000:0000:8a2e:0370:7334", PiiKind.IPv6)]
    public void Ip_addresses_are_found(string address, PiiKind kind) =>
        AssertFinds(kind, address);

    [Theory]
    [InlineData("Open 12:30:45 daily, version 1.2.3 of the menu")]
    [InlineData("a::before { content: '' } and std::vector")]
    [InlineData("999.1.1.1 is not an address")]
    public void Times_versions_and_selectors_are_not_ip_addresses(string text) =>
        Assert.Empty(s_detector.Find(text));

    [Theory]
    [InlineData("sk-proj-4f9Qx2LmN8vB7cT1yR6wZ3kJ0hD5sA")]
    [InlineData("sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("ghp_1A2b3C4d5E6f7G8h9I0j1K2l3M4n5O6p7Q8r")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")]
    [InlineData("xoxb-2048-1024-abcDEF123456")]
    [InlineData("sk_live_51H8dKe2eZvKYlo2C0a1b2c3d")]
    public void Api_keys_and_tokens_are_found(string secret) =>
        AssertFinds(PiiKind.Secret, secret);

    [Theory]
    [InlineData("api_key=9f8e7d6c5b4a3f2e1d0c7b6a", "9f8e7d6c5b4a3f2e1d0c7b6a")]
    [InlineData("token: \"Qm9iIHNheXMgaGk4NzY1NDMyMQ\"", "Qm9iIHNheXMgaGk4NzY1NDMyMQ")]
    [InlineData("Authorization: Bearer zT8kQ2mW9xR4vN7pL1sJ", "zT8kQ2mW9xR4vN7pL1sJ")]
    public void A_high_entropy_value_after_a_key_name_is_a_secret_and_only_the_value_is_redacted(string text, string value)
    {
        var redacted = s_detector.Redact(text, out _);

        Assert.Equal(text.Replace(value, "[SECRET]", StringComparison.Ordinal), redacted);
    }

    [Theory]
    [InlineData("password: correcthorsebatterystaple")]
    [InlineData("token: aaaaaaaaaaaaaaaaaaaaaaaa1")]
    [InlineData("Our secret: handmadesourdoughbread")]
    public void Words_after_a_key_name_are_not_secrets(string text) =>
        Assert.Empty(s_detector.Find(text));

    [Fact]
    public void Redaction_replaces_each_finding_with_a_typed_placeholder()
    {
        var text = "Mail jane.doe@example.com or call (415) 555-2671; card 4111 1111 1111 1111 from 10.0.0.12 with key AKIAIOSFODNN7EXAMPLE.";

        var redacted = s_detector.Redact(text, out var findings);

        Assert.Equal("Mail [EMAIL] or call [PHONE]; card [CREDIT_CARD] from [IP_ADDRESS] with key [SECRET].", redacted);
        Assert.Equal([PiiKind.Email, PiiKind.Phone, PiiKind.CreditCard, PiiKind.IPv4, PiiKind.Secret], findings.Select(f => f.Kind));
    }

    [Fact]
    public void Redacted_text_has_no_detectable_pii_left()
    {
        string[] corpus =
        [
            "Contact JANE.DOE@EXAMPLE.COM, jane [at] example [dot] org or +44 20 7946 0958.",
            "Cards: 5555-5555-5555-4444 and 378282246310005; IPs 192.168.0.1 and 2001:db8::1:2.",
            "Deploy with api_key=9f8e7d6c5b4a3f2e1d0c7b6a and ghp_1A2b3C4d5E6f7G8h9I0j1K2l3M4n5O6p7Q8r.",
            "<p>Call us at 415.555.2671 or write to hello@bakery-lyon.fr</p><p>Our IP is 8.8.4.4</p>",
        ];

        foreach (var text in corpus)
        {
            var redacted = s_detector.Redact(text, out var findings);

            Assert.NotEmpty(findings);
            Assert.Empty(s_detector.Find(redacted));
            foreach (var finding in findings)
            {
                Assert.DoesNotContain(text.Substring(finding.Start, finding.Length), redacted, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Css_and_html_attributes_are_left_byte_for_byte_while_prose_around_them_is_redacted()
    {
        const string Markup = """
            <style>
              .hero { background: #1234567890123; margin: 4111 1111 1111 1111px; }
              #card-4111111111111111 { padding: 1234 5678 9012 3456px; }
            </style>
            <a href="mailto:hello@bakery-lyon.fr" class="btn user-jane@example.com" data-phone="4155552671" data-card="4111111111111111" data-ip="10.0.0.1" style="width: 4111111111111111px">
            """;
        var text = Markup + "Write to jane.doe@example.com or call (415) 555-2671.</a>";

        var redacted = s_detector.Redact(text, out var findings);

        Assert.Equal(Markup + "Write to [EMAIL] or call [PHONE].</a>", redacted);
        Assert.Equal([PiiKind.Email, PiiKind.Phone], findings.Select(f => f.Kind));
    }

    [Theory]
    [InlineData("color: #1234567890123;")]
    [InlineData("width: 1234 5678 9012 3456px")]
    [InlineData("margin: 4111 1111 1111 1111px")]
    [InlineData(".card { padding: 4111111111111111px }")]
    [InlineData("transition: 4155552671ms")]
    public void Css_looking_numbers_in_prose_are_not_pii(string text) =>
        Assert.Empty(s_detector.Find(text));

    [Fact]
    public void Css_blocks_outside_style_tags_are_skipped_but_json_objects_are_not()
    {
        var css = ".price-4111111111111111 { font-size: 4111 1111 1111 1111px; line-height: 1.5; }";
        var json = """{"contact": "jane.doe@example.com"}""";

        Assert.Empty(s_detector.Find(css));
        Assert.Equal(PiiKind.Email, Assert.Single(s_detector.Find(json)).Kind);
    }

    [Fact]
    public void A_secret_is_found_even_inside_an_attribute_because_no_site_means_to_publish_one()
    {
        var text = "<div data-key=\"sk-proj-4f9Qx2LmN8vB7cT1yR6wZ3kJ0hD5sA\">Hello</div>";

        Assert.Equal("<div data-key=\"[SECRET]\">Hello</div>", s_detector.Redact(text, out _));
    }

    [Fact]
    public void Prose_with_a_less_than_sign_is_still_scanned()
    {
        Assert.Equal(PiiKind.Email, Assert.Single(s_detector.Find("Prices < 10 euros, mail jane@example.com")).Kind);
    }

    [Fact]
    public void Text_without_pii_comes_back_as_the_same_instance()
    {
        var text = "Fresh bread every morning, since 1982, at 12 rue de la Paix.";

        Assert.Same(text, s_detector.Redact(text, out var findings));
        Assert.Empty(findings);
    }

    private static void AssertFinds(PiiKind kind, string value)
    {
        var text = $"Reach us: {value}. Thanks!";

        var finding = Assert.Single(s_detector.Find(text));

        Assert.Equal(kind, finding.Kind);
        Assert.Equal(value, text.Substring(finding.Start, finding.Length));
    }
}
