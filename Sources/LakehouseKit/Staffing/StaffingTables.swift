/// The state shared while the staffing tables are written in order: each table keeps the few
/// facts later tables need (ids are positions + 1), so every foreign key points at a real row
/// and derived values agree (a timesheet's total is its hours times its placement's rate).
struct StaffingTables {
    typealias Vocabulary = StaffingVocabulary

    /// The day the data was "exported": 2026-03-02, a Monday. Nothing happens after it.
    static let today = CivilDate.days(year: 2026, month: 3, day: 2)
    /// The first day of the agency's history.
    static let firstDay = CivilDate.days(year: 2023, month: 1, day: 2)

    let seed: UInt64
    let rows: (StaffingGenerator.Table) -> Int
    let text = StaffingText()
    let cityChoice = WeightedChoice(weights: Vocabulary.cities.map(\.weight))
    let roleChoice = WeightedChoice(weights: Vocabulary.roles.map(\.weight))
    let firstNamesASCII = Vocabulary.firstNames.map(Self.emailSafe)
    let lastNamesASCII = Vocabulary.lastNames.map(Self.emailSafe)

    // Candidates
    var candidateEmails: [String] = []
    var candidateCities: [Int] = []
    var candidateRoles: [Int] = []
    /// Candidates the recruiters keep calling but never place.
    var coldCandidates: [Int] = []
    /// Everyone else: the pool placements draw from.
    var warmCandidates: [Int] = []

    // Clients
    var clientVerticals: [Int] = []
    var clientCities: [Int] = []
    var clientNames: [String] = []
    var clientBillRange: [ClosedRange<Int>] = []

    // Job orders
    var jobOpened: [Int] = []
    var jobBill: [Int] = []
    var jobPay: [Int] = []

    // Placements
    var placementCandidates: [Int] = []
    var placementRecruiters: [Int] = []
    var placementStarts: [Int] = []
    var placementEnds: [Int?] = []
    var placementBill: [Int] = []
    var placementPay: [Int] = []

    init(seed: UInt64, rows: @escaping (StaffingGenerator.Table) -> Int) {
        self.seed = seed
        self.rows = rows
    }

    /// The random stream of one table.
    func random(_ table: StaffingGenerator.Table) -> StaffingRandom {
        let salt = UInt64(StaffingGenerator.Table.allCases.firstIndex(of: table)! + 1) &* 0xD1B5_4A32_D192_ED03
        return StaffingRandom(seed: seed, salt: salt)
    }

    /// A name reduced to lower-case ASCII letters for an email address: `José` → `jose`,
    /// `O'Brien` → `obrien`.
    static func emailSafe(_ name: String) -> String {
        let folded: [Character: String] = ["é": "e", "ë": "e", "è": "e", "ö": "o", "ü": "u", "ñ": "n", "á": "a", "í": "i"]
        var out = ""
        for character in name.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                out.append(character)
            } else if let plain = folded[character] {
                out += plain
            }
        }
        return out
    }

    /// `amount` rounded down to a multiple of `step`.
    static func floor(_ amount: Int, to step: Int) -> Int {
        amount / step * step
    }

    /// `cents * percent / 100`, rounded half up, for non-negative amounts.
    static func percent(_ cents: Int, _ percent: Int) -> Int {
        (cents * percent + 50) / 100
    }

    /// The Saturday on or after `day` (1970-01-01 was a Thursday).
    static func saturday(onOrAfter day: Int) -> Int {
        day + ((2 - day % 7) % 7 + 7) % 7
    }

    /// Seconds since 1970 of a moment during business hours (weekdays 08:00–18:00) on `day`
    /// or the weekday before it.
    static func businessMoment(day: Int, random: inout StaffingRandom) -> Int {
        var day = day
        while (day % 7 + 7) % 7 == 2 || (day % 7 + 7) % 7 == 3 { day -= 1 }
        return day * 86_400 + 8 * 3600 + random.below(10 * 3600)
    }
}
