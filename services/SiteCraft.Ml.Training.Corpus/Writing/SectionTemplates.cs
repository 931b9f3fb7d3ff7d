namespace SiteCraft.Ml.Training.Corpus.Writing;

/// <summary>The wording for each section type, shared by the page writer and the section copy writer.</summary>
internal static class SectionTemplates
{
    private static readonly Dictionary<string, SectionTemplate> s_byType = new(StringComparer.Ordinal)
    {
        ["hero"] = new(
            ["{tagline}", "{tagline} in {city}", "{O1} in {city}", "Welcome to {name}"],
            [
                "{name} brings {o1} and {o2} to {audience} in {city}.",
                "In {city}, {name} is {aadj} {place} for {offers}.",
                "{Benefit}, from {aadj} {place} in the heart of {city}.",
                "{name} helps {audience} across {city} with {o1} and {o2}.",
                "Discover {offers} at {name} in {city}.",
                "{O1}, {o2} and {benefit} for {audience} in {city}.",
            ],
            ["We are known for {benefit}.", "What sets us apart is {diff}.", "Every visit comes with {diff}.", "Expect {benefit}, every time."]),
        ["about"] = new(
            ["About {name}", "Our story", "Who we are", "Why {city} chooses {name}"],
            [
                "{name} is {aadj} {place} in {city}, built around {diff}.",
                "We started {name} to give {audience} in {city} {benefit}.",
                "Our {staff} care about {benefit}, and it shows in every detail.",
                "Since opening in {city}, {name} has been known for {diff}.",
                "{name} began with a simple idea: {benefit} for {audience}.",
            ],
            ["Our {staff} know many of our {customers} by name.", "We are proud to be part of {city}.", "Today we serve {audience} all over {city}.", "Everything we do starts with listening."]),
        ["services"] = new(
            ["Our services", "What we offer", "{O1} and more", "How we can help"],
            [
                "We offer {offers} for {audience}.",
                "Choose from {offers}, each tailored to you.",
                "From {o1} to {o2}, our {staff} handle it all.",
                "{Offers}, all from one {adj} team in {city}.",
            ],
            ["Every service comes with {diff}.", "If you are not sure what you need, ask us and we will advise.", "Each one is planned around {audience}.", "Our {staff} explain every step in plain words."]),
        ["features"] = new(
            ["Why choose {name}", "What makes us different", "Why {customers} pick us", "The {name} difference"],
            [
                "{Diff}, {benefit} and {adj} service from start to finish.",
                "We combine {diff} with {benefit}.",
                "Expect {benefit}, clear communication and {diff}.",
                "{Benefit} is what {customers} notice first about {name}.",
            ],
            ["It is why {customers} across {city} keep coming back.", "No fuss, no hidden costs, just good work.", "Small touches make a big difference.", "We never cut corners on {o1}."]),
        ["gallery"] = new(
            ["Gallery", "Our work", "A look inside {name}", "Recent work"],
            [
                "Browse photos of {o1} and {o2} from {name}.",
                "A look at recent work for {audience} across {city}, from first idea to finished result.",
                "See our {place} and the {o1} our {staff} are proud of.",
                "Take a closer look at {offers}, all from {name}.",
            ],
            ["New photos are added every month, so check back soon.", "Every picture shows real work by our {staff}.", "Follow along as we grow and try new ideas."]),
        ["team"] = new(
            ["Meet the team", "Our {staff}", "The people behind {name}"],
            [
                "Our {staff} bring years of experience and {diff}.",
                "We are a small team of {adj} {staff} based in {city}, and we love what we do.",
                "Meet the {staff} who look after {audience} at {name}.",
                "Behind every visit is a team that cares about {benefit}.",
            ],
            ["We keep learning so you get the best of us.", "Many of us have been here since day one.", "Say hello next time you visit our {place}."]),
        ["testimonials"] = new(
            ["What our {customers} say", "Kind words from {city}", "Loved by {customers}", "Reviews"],
            [
                "{Customers} across {city} tell us they come back for {benefit}.",
                "Our {customers} rate us highly for {o1} and our {adj} service.",
                "{Customers} say {name} is the place in {city} for {o1}.",
                "Reviews from {audience} mention {benefit} again and again.",
            ],
            ["We read every review and keep improving.", "Many of our {customers} were sent by a friend.", "Thank you for trusting us with your {o1}."]),
        ["pricing"] = new(
            ["Pricing", "Simple, fair prices", "Plans and prices", "What it costs"],
            [
                "Clear prices for {o1} and {o2}, with no hidden fees.",
                "Every quote for {o1} is agreed up front, so there are no surprises.",
                "Transparent pricing for {audience}, from {o1} to {o2}.",
                "Fair, simple prices for {offers}.",
            ],
            ["Ask us for a free quote and we will reply within a day.", "Packages can be tailored to your needs.", "Regular {customers} get a loyalty discount."]),
        ["faq"] = new(
            ["Frequently asked questions", "Questions and answers", "Good to know", "FAQ"],
            [
                "Do you offer {o1}? Yes, and our {staff} are happy to advise on {o2} as well, so just ask.",
                "Where are you based? We are in {city}, {country}, and we serve {audience} in the area.",
                "How do I get started? Use the {action} button or give us a call, and we will take it from there.",
                "What makes {name} different? In short, {diff}, which our {customers} love.",
                "Who do you work with? Mostly {audience} in and around {city}, and everyone is welcome.",
            ],
            []),
        ["contact"] = new(
            ["Contact us", "Get in touch", "Visit us in {city}", "Say hello"],
            [
                "Visit {name} in {city} or send us a message and we will reply within one working day.",
                "Call, e-mail or drop by our {place} in {city}, and one of our {staff} will help you straight away.",
                "If you have questions about {o1}, our team in {city} is happy to help.",
                "Find us in {city}, {country}, or reach us online at any time and we will get back to you quickly.",
            ],
            ["We reply to every message, usually on the same day.", "Parking and public transport are close by.", "Our {staff} are happy to help."]),
        ["cta"] = new(
            ["Ready to get started?", "{action} today", "Let's talk", "Your next step"],
            [
                "{action} today and see why {customers} in {city} choose {name}.",
                "Spaces fill quickly, so reach out to {name} now and we will find a time that suits you.",
                "Join the {audience} across {city} who already trust {name} with {o1}.",
                "{Benefit} is only one click away, so there is no reason to wait.",
            ],
            ["It only takes a minute to get in touch with our {staff}.", "There is no obligation, and your first conversation is free.", "Tell us what you need and we will take it from there."]),
    };

    public static IEnumerable<string> Types => s_byType.Keys;

    public static SectionTemplate For(string sectionType) => s_byType.TryGetValue(sectionType, out var template)
        ? template
        : throw new ArgumentException($"Unknown section type '{sectionType}'.", nameof(sectionType));
}
