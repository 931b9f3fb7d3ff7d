namespace SiteCraft.Ml.Training.Corpus.Briefs;

/// <summary>The tones a brief can ask for, each with its own wording.</summary>
internal static class Tones
{
    public static IReadOnlyList<ToneProfile> All { get; } =
    [
        new("friendly", ["friendly", "welcoming", "neighbourly"],
            ["Hello from {name} in {city}!", "We are so glad you found us.", "Pop in and say hi to our {staff}."],
            ["Come and say hello, we would love to meet you.", "Drop by any time, the door is always open.", "We cannot wait to welcome you.", "See you soon at {name}!"]),
        new("professional", ["trusted", "experienced", "reliable"],
            ["{name} serves {audience} across {city}.", "Quality and clear communication guide our work.", "Our {staff} bring proven expertise to every job."],
            ["Contact us to arrange a consultation.", "Get in touch to discuss your requirements.", "We respond to every enquiry within one working day.", "Speak to our team today."]),
        new("playful", ["cheerful", "lively", "fun-loving"],
            ["Good news, {city}!", "Warning: this may make you smile.", "Ready for something a little different?"],
            ["Go on, treat yourself.", "Come for the {o1}, stay for the good mood.", "Life is short, so make it a fun one.", "We promise it will be the best part of your week."]),
        new("luxurious", ["refined", "elegant", "exclusive"],
            ["Welcome to {name}, where every detail matters.", "Excellence is our standard at {name}.", "Some experiences are simply worth more."],
            ["Reserve your visit and experience the difference.", "Indulge in something exceptional.", "Every detail is considered, just for you.", "Discover the art of doing things beautifully."]),
        new("bold", ["fearless", "ambitious", "no-nonsense"],
            ["{name} does not do ordinary.", "Forget everything you expect.", "This is {industry} done differently."],
            ["Stop settling for less and start today.", "Do not wait; make the move now.", "Expect more, and get it.", "It is your move, so make it count."]),
        new("calm", ["calm", "unhurried", "thoughtful"],
            ["At {name}, there is no rush.", "Take a breath; you are in good hands.", "Good things take a little time."],
            ["Take your time; we are here when you are ready.", "Reach out whenever it suits you.", "Everything is taken care of, gently and well.", "We look forward to hearing from you."]),
        new("warm", ["caring", "family-run", "warm"],
            ["{name} is a family business at heart.", "Everyone is welcome at {name}.", "We treat every {customer} like a neighbour."],
            ["You will feel at home from the very first visit.", "We would love to be part of your story.", "Thank you for supporting a local business.", "Our door is always open to you."]),
        new("modern", ["modern", "fresh", "forward-thinking"],
            ["{name} brings a fresh approach to {industry}.", "Simple, smart and built for today.", "We do {industry} the modern way."],
            ["See what a modern approach can do for you.", "Book online in under a minute.", "Smarter {industry} starts here.", "Join the new way of doing things."]),
    ];
}
