/// Free text for the staffing tables: resumes, job descriptions and email subjects, built from
/// sentence templates whose `{slot}`s are filled from word lists and the row's own facts.
///
/// Templates are parsed once; rendering appends UTF-8 bytes to a caller's buffer.
struct StaffingText {
    /// What a resume or a job order is about, used to fill slots that must agree with the row.
    struct Subject {
        var title: String
        var years: Int
        var skills: [String]
        var city: String
        var vertical: String
        var company: String
    }

    private enum Piece {
        case text([UInt8])
        case slot(Substring)
    }

    private struct Template {
        let pieces: [Piece]

        init(_ text: String) {
            var pieces: [Piece] = []
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                if open > rest.startIndex { pieces.append(.text(Array(rest[..<open].utf8))) }
                pieces.append(.slot(rest[rest.index(after: open)..<close]))
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty { pieces.append(.text(Array(rest.utf8))) }
            self.pieces = pieces
        }
    }

    private let openings: [Template]
    private let bodies: [Template]
    private let quoting: Template
    private let closings: [Template]
    private let descriptions: [Template]
    private let subjects: [Template]
    private let lists: [Substring: [String]]

    init() {
        openings = [
            "{adjective} {title} with {years} of experience in the {vertical} sector.",
            "{title} with {years} of hands-on experience and a track record of delivering for {vertical} clients.",
            "{adjective} {title} based in {city}, bringing {years} of experience across {vertical} and beyond.",
            "I am a {title} who enjoys turning messy requirements into work that ships, with {years} in the field.",
        ].map(Template.init)
        bodies = [
            "At {company}, I {verb} {object} using {skill} and {skill}, which cut {metric} by {percent}%.",
            "Led a team of {small} {team} to {achievement}.",
            "Built and maintained {object} with {skill}, serving more than {number} users every day.",
            "Partnered with {stakeholders} to define requirements, prioritise the backlog and deliver on schedule.",
            "Comfortable with {skill}, {skill} and {skill}; currently learning {skill}.",
            "Reduced {metric} by {percent}% by {method}.",
            "Mentored {small} junior {team} and ran weekly knowledge-sharing sessions.",
            "Wrote documentation, runbooks and onboarding guides that are still in use today.",
            "Implemented {object} for a client in the {vertical} sector, improving {metric} by {percent}%.",
            "Collaborated with {stakeholders} in a fast-paced environment with two-week sprints.",
            "Managed budgets of up to ${number} and reported progress to senior leadership every month.",
            "Recognised as employee of the quarter at {company} for {trait}.",
            "Trained {count} staff on new procedures, raising audit scores across {small} sites.",
            "Handled {count} requests per week while keeping {metric} within target.",
        ].map(Template.init)
        quoting = Template("My last manager called me \"the {nickname}\" because of my {trait}.")
        closings = [
            "Holds a {degree} in {field} from {school}.",
            "Certified in {cert}; references available on request.",
            "Available for {arrangement} work in {city} or remote.",
            "Open to contract, contract-to-hire and permanent roles.",
        ].map(Template.init)
        descriptions = [
            "{company} is looking for a {title} to join its {dept} team in {city}. You will {duty}, {duty} and {duty}. This is a {arrangement} role reporting to the {manager}.",
            "Our {vertical} client in {city} needs an experienced {title}. Day to day you will {duty} and {duty}, working closely with {stakeholders}.",
            "{title} wanted for a {arrangement} assignment in {city}. Responsibilities include: {duty}, {duty}, and {duty}. Overtime may be required.",
        ].map(Template.init)
        subjects = [
            "New {title} opportunity in {city}",
            "Following up on our call",
            "Re: {title} role at {company}",
            "Interview confirmation for the {title} position",
            "Your timesheet for last week",
            "Quick question about your availability",
            "Re: \"{title}\" – next steps",
            "Updated resume attached",
        ].map(Template.init)
        lists = [
            "adjective": ["Detail-oriented", "Results-driven", "Dependable", "Versatile", "Bilingual", "Hard-working", "Analytical", "Personable"],
            "verb": ["designed", "rebuilt", "automated", "launched", "streamlined", "migrated", "documented", "scaled"],
            "object": ["a reporting pipeline", "the patient intake process", "an inventory tracking system", "a customer dashboard",
                       "the month-end close", "a test automation suite", "the onboarding workflow", "a shipping schedule",
                       "a data warehouse", "the help desk queue"],
            "metric": ["processing time", "error rates", "overtime costs", "ticket backlog", "shrinkage", "turnaround time",
                       "cloud spend", "days sales outstanding"],
            "team": ["analysts", "engineers", "associates", "nurses", "technicians", "representatives", "operators"],
            "achievement": ["deliver a platform migration two weeks early", "pass a state audit with zero findings",
                            "open a second distribution center", "cut the release cycle from monthly to weekly",
                            "bring a failing project back on budget", "roll out a new EMR system"],
            "stakeholders": ["finance and operations", "product managers", "nursing leadership", "plant supervisors",
                             "store managers", "clients and vendors"],
            "method": ["automating manual spreadsheets", "introducing daily stand-ups", "rewriting slow queries",
                       "cross-training the team", "renegotiating carrier contracts", "standardising checklists"],
            "trait": ["attention to detail", "calm under pressure", "clear communication", "reliability",
                      "willingness to take on extra shifts", "problem-solving"],
            "nickname": ["fixer", "closer", "spreadsheet wizard", "go-to person", "night owl"],
            "degree": ["B.S.", "B.A.", "M.S.", "MBA", "Associate degree", "certificate"],
            "field": ["Computer Science", "Accounting", "Nursing", "Business Administration", "Supply Chain Management",
                      "Mathematics", "Communications"],
            "school": ["State University", "City College", "the University of Illinois", "Georgia Tech",
                       "a community college", "Northeastern University", "Arizona State University"],
            "cert": ["AWS Solutions Architect", "PMP", "CPA", "BLS and ACLS", "OSHA 30", "CompTIA A+", "Six Sigma Green Belt"],
            "arrangement": ["full-time", "part-time", "contract", "contract-to-hire", "temp-to-perm", "night-shift"],
            "duty": ["own the weekly reporting", "triage incoming requests", "train new hires", "keep the floor running safely",
                     "reconcile accounts", "write and review code", "coordinate with vendors", "maintain patient records",
                     "ship orders on time", "improve our processes"],
            "dept": ["analytics", "engineering", "operations", "finance", "nursing", "warehouse", "customer care"],
            "manager": ["operations manager", "director of engineering", "controller", "nurse manager", "site lead"],
        ]
    }

    /// A resume of 100–400 words: an opening, body sentences until `targetWords`, a closing.
    /// A few resumes break the opening onto its own line, and a few quote a nickname, so the
    /// CSV carries quoted line breaks and doubled quotes.
    func resume(for subject: Subject, random: inout StaffingRandom, into out: inout [UInt8]) {
        let target = random.within(100...400)
        var words = 0
        var skillCursor = 0
        var sentence: [UInt8] = []
        /// Renders a sentence and appends it unless it would take the resume past 400 words.
        func add(_ template: Template, _ random: inout StaffingRandom, _ out: inout [UInt8]) -> Bool {
            sentence.removeAll(keepingCapacity: true)
            render(template, subject, &skillCursor, &random, &sentence)
            let count = sentence.reduce(1) { $1 == 0x20 ? $0 + 1 : $0 }
            if words >= 100 && words + count > 400 { return false }
            if !out.isEmpty, out.last != 0x0A { out.append(0x20) }
            out.append(contentsOf: sentence)
            words += count
            return true
        }
        _ = add(random.pick(openings), &random, &out)
        if random.chance(perMille: 30) { out.append(0x0A) }
        if random.chance(perMille: 40) { _ = add(quoting, &random, &out) }
        while words < target {
            if !add(random.pick(bodies), &random, &out) { break }
        }
        _ = add(random.pick(closings), &random, &out)
    }

    /// A job description of two or three sentences (always with commas).
    func description(for subject: Subject, random: inout StaffingRandom, into out: inout [UInt8]) {
        var skillCursor = 0
        render(random.pick(descriptions), subject, &skillCursor, &random, &out)
    }

    /// An email subject line.
    func subject(for subject: Subject, random: inout StaffingRandom) -> String {
        var skillCursor = 0
        var out: [UInt8] = []
        render(random.pick(subjects), subject, &skillCursor, &random, &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func render(_ template: Template, _ subject: Subject, _ skillCursor: inout Int,
                        _ random: inout StaffingRandom, _ out: inout [UInt8]) {
        for piece in template.pieces {
            switch piece {
            case .text(let bytes):
                out.append(contentsOf: bytes)
            case .slot(let name):
                switch name {
                case "title": out.append(contentsOf: subject.title.utf8)
                case "years":
                    appendNumber(max(subject.years, 1), &out)
                    out.append(contentsOf: (subject.years > 1 ? " years" : " year").utf8)
                case "city": out.append(contentsOf: subject.city.utf8)
                case "vertical": out.append(contentsOf: subject.vertical.lowercased().utf8)
                case "company": out.append(contentsOf: subject.company.utf8)
                case "skill":
                    let skills = subject.skills.isEmpty ? ["Excel"] : subject.skills
                    out.append(contentsOf: skills[skillCursor % skills.count].utf8)
                    skillCursor += 1
                case "small": appendNumber(random.within(2...12), &out)
                case "count": appendNumber(random.within(10...250), &out)
                case "percent": appendNumber(random.within(5...60), &out)
                case "number": appendNumber(random.within(2...400) * 25, &out)
                default:
                    let words = lists[name] ?? ["(\(name))"]
                    out.append(contentsOf: random.pick(words).utf8)
                }
            }
        }
    }

    private func appendNumber(_ value: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }
}
