namespace SiteCraft.Ml.Contracts.Tests;

/// <summary>Completions as the product generates them: HTML with CSS, page JSON, plain copy.</summary>
internal static class SiteContent
{
    public const string LandingPageHtml = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Maison Dorée — Artisan Bakery in Lyon</title>
          <style>
            :root { --gold: #c8a24a; --ink: #1f1b16; }
            .hero { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; padding: 4rem 2rem; }
            .hero h1 { font-size: clamp(2rem, 5vw, 3.5rem); color: var(--ink); }
            .btn { background: var(--gold); border-radius: 999px; padding: 0.75rem 1.5rem; }
            @media (max-width: 640px) { .hero { grid-template-columns: 1fr; } }
          </style>
        </head>
        <body>
          <section class="hero" id="top">
            <div>
              <h1>Bread worth waking up for</h1>
              <p>Since 1982 our family has baked sourdough, croissants and seasonal tarts by hand, every morning before sunrise.</p>
              <a class="btn" href="#visit" data-track="hero-cta">Plan your visit</a>
            </div>
            <img src="/images/oven.jpg" alt="Loaves cooling beside the wood-fired oven" width="640" height="480">
          </section>
          <section class="features">
            <div>
              <h2>Slow fermentation</h2>
              <p>Our dough rests for thirty-six hours, which gives the crumb its open texture and a gentle tang.</p>
            </div>
            <div>
              <h2>Local flour</h2>
              <p>We mill organic wheat from farms in the Monts du Lyonnais, less than forty kilometres away.</p>
            </div>
            <div>
              <h2>Made to order</h2>
              <p>Birthday cakes and wedding pièces montées are designed with you and finished on the day.</p>
            </div>
          </section>
          <section id="visit">
            <h2>Visit us</h2>
            <p>Open Tuesday to Sunday from seven until two. Come early on Saturdays: the pain aux raisins sells out by ten.</p>
          </section>
        </body>
        </html>
        """;

    public const string PageJson = """
        {
          "title": "Northside Bicycle Repair",
          "sections": [
            { "type": "hero", "heading": "Back on the road by Friday", "body": "Drop your bike off before noon and we will have it tuned, trued and ready for the weekend.", "cta": { "label": "Book a service", "href": "/book" } },
            { "type": "features", "heading": "What we fix", "body": "Brakes, gears, wheels, e-bike motors and everything in between, with honest quotes before we start." },
            { "type": "testimonials", "heading": "Riders say", "body": "Fast, friendly and they explained exactly what was wrong. My commute has never been smoother." },
            { "type": "contact", "heading": "Find the workshop", "body": "We are next to the canal bridge, with covered parking for cargo bikes and a pump you can use any time." }
          ]
        }
        """;
}
