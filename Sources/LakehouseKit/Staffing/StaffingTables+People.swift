/// `candidates.csv` and `clients.csv`.
extension StaffingTables {
    /// One row per candidate. Optional columns (phone, available_from, years_experience,
    /// desired_rate) are sometimes empty; zip codes of New England and New Jersey start with 0.
    mutating func writeCandidates(to out: StaffingFileWriter) throws {
        var random = random(.candidates)
        try out.header(["candidate_id", "first_name", "last_name", "phone", "email", "zip", "city", "state",
                        "skills", "available_from", "years_experience", "desired_rate", "resume"])
        let allSkills = Array(Set(Vocabulary.roles.flatMap(\.skills))).sorted()
        var resume: [UInt8] = []
        for index in 0..<rows(.candidates) {
            let id = index + 1
            let first = random.below(Vocabulary.firstNames.count)
            let last = random.below(Vocabulary.lastNames.count)
            let cityIndex = cityChoice.draw(&random)
            let city = Vocabulary.cities[cityIndex]
            let roleIndex = roleChoice.draw(&random)
            let role = Vocabulary.roles[roleIndex]
            let years = min(random.within(0...30), random.within(0...30))

            var skills = random.permutation(role.skills.count).prefix(random.within(2...min(5, role.skills.count))).map { role.skills[$0] }
            if random.chance(perMille: 250) {
                let extra = random.pick(allSkills)
                if !skills.contains(extra) { skills.append(extra) }
            }
            let email = firstNamesASCII[first] + "." + lastNamesASCII[last] + String(id) + "@" + random.pick(Vocabulary.emailDomains)
            let phone = "\(city.areaCode)-555-" + String(1000 + random.below(9000))
            let zip = city.zip + random.below(40)
            let available = Self.today - 60 + random.below(181)
            let rate = Self.floor(random.within(role.payCents) + years * 50, to: 25)

            out.field(id)
            out.field(Vocabulary.firstNames[first])
            out.field(Vocabulary.lastNames[last])
            if random.chance(perMille: 12) { out.empty() } else { out.field(phone) }
            out.field(email)
            out.field(padded: zip, width: 5)
            out.field(city.name)
            out.field(city.state)
            out.field(skills.joined(separator: ";"))
            if random.chance(perMille: 20) { out.empty() } else { out.field(isoDate: available) }
            if random.chance(perMille: 5) { out.empty() } else { out.field(years) }
            if random.chance(perMille: 10) { out.empty() } else { out.field(cents: rate) }
            resume.removeAll(keepingCapacity: true)
            let subject = StaffingText.Subject(
                title: role.title, years: years, skills: skills, city: city.name,
                vertical: Vocabulary.verticals[random.below(Vocabulary.verticals.count)].name,
                company: random.pick(Vocabulary.companyNames) + " " + random.pick(Vocabulary.verticals[random.below(Vocabulary.verticals.count)].words))
            text.resume(for: subject, random: &random, into: &resume)
            out.field(bytes: resume)
            try out.endRow()

            candidateEmails.append(email)
            candidateCities.append(cityIndex)
            candidateRoles.append(roleIndex)
            if random.chance(perMille: 20) { coldCandidates.append(index) } else { warmCandidates.append(index) }
        }
        if warmCandidates.isEmpty {
            warmCandidates = coldCandidates
            coldCandidates = []
        }
    }

    /// One row per client. Client 1 is "Acme, Inc."; other names sometimes carry a comma
    /// (", LLC") or a quoted trading name; a few contact emails are missing.
    mutating func writeClients(to out: StaffingFileWriter) throws {
        var random = random(.clients)
        try out.header(["client_id", "company", "contact_name", "contact_email", "vertical", "city",
                        "bill_rate_min", "bill_rate_max"])
        var taken: Set<String> = []
        for index in 0..<rows(.clients) {
            let id = index + 1
            let verticalIndex = index == 0 ? 3 : random.below(Vocabulary.verticals.count)
            let vertical = Vocabulary.verticals[verticalIndex]
            let cityIndex = cityChoice.draw(&random)
            let baseName: String
            if index == 0 {
                baseName = "Acme"
            } else if random.chance(perMille: 30) {
                baseName = "\"" + random.pick(Vocabulary.companyNicknames) + "\" " + random.pick(vertical.words)
            } else {
                baseName = random.pick(Vocabulary.companyNames) + " " + random.pick(vertical.words)
            }
            let suffix = index == 0 ? ", Inc." : random.pick(Vocabulary.companySuffixes)
            var company = suffix.isEmpty ? baseName : suffix.hasPrefix(",") ? baseName + suffix : baseName + " " + suffix
            if taken.contains(company) { company += " of " + Vocabulary.cities[cityIndex].name }
            if taken.contains(company) { company += " " + String(id) }
            taken.insert(company)

            let first = random.below(Vocabulary.firstNames.count)
            let last = random.below(Vocabulary.lastNames.count)
            let domain = Self.emailSafe(String(baseName.split(separator: " ").first ?? "client")) + String(id) + ".com"
            let low = random.within(25...45) * 100
            let high = low + random.within(60...150) * 100

            out.field(id)
            out.field(company)
            out.field(Vocabulary.firstNames[first] + " " + Vocabulary.lastNames[last])
            if random.chance(perMille: 30) {
                out.empty()
            } else {
                out.field(firstNamesASCII[first] + "." + lastNamesASCII[last] + "@" + domain)
            }
            out.field(vertical.name)
            out.field(Vocabulary.cities[cityIndex].name)
            out.field(cents: low)
            out.field(cents: high)
            try out.endRow()

            clientVerticals.append(verticalIndex)
            clientCities.append(cityIndex)
            clientNames.append(company)
            clientBillRange.append(low...high)
        }
    }
}
