/// The word lists the staffing generator draws from. Changing any list changes the generated
/// bytes, so the expected query answers in `TestData/staffing/queries/` must be regenerated.
enum StaffingVocabulary {
    /// A metro area: where candidates live, clients sit and jobs are.
    struct City {
        let name: String
        let state: String
        /// The lowest zip code of the area; candidates get this plus a small offset.
        let zip: Int
        let areaCode: Int
        /// Relative size: big metros draw more people and clients.
        let weight: Int
    }

    /// A kind of job: its title, the skills it asks for and its usual pay range (cents per hour).
    struct Role {
        let title: String
        let skills: [String]
        let payCents: ClosedRange<Int>
        let weight: Int
    }

    static let cities: [City] = [
        City(name: "New York", state: "NY", zip: 10001, areaCode: 212, weight: 14),
        City(name: "Chicago", state: "IL", zip: 60601, areaCode: 312, weight: 10),
        City(name: "Los Angeles", state: "CA", zip: 90001, areaCode: 213, weight: 10),
        City(name: "Houston", state: "TX", zip: 77001, areaCode: 713, weight: 7),
        City(name: "Dallas", state: "TX", zip: 75201, areaCode: 214, weight: 7),
        City(name: "Atlanta", state: "GA", zip: 30301, areaCode: 404, weight: 6),
        City(name: "Boston", state: "MA", zip: 2108, areaCode: 617, weight: 6),
        City(name: "Seattle", state: "WA", zip: 98101, areaCode: 206, weight: 5),
        City(name: "San Francisco", state: "CA", zip: 94102, areaCode: 415, weight: 5),
        City(name: "Denver", state: "CO", zip: 80202, areaCode: 303, weight: 4),
        City(name: "Phoenix", state: "AZ", zip: 85001, areaCode: 602, weight: 4),
        City(name: "Philadelphia", state: "PA", zip: 19102, areaCode: 215, weight: 4),
        City(name: "Minneapolis", state: "MN", zip: 55401, areaCode: 612, weight: 3),
        City(name: "Charlotte", state: "NC", zip: 28202, areaCode: 704, weight: 3),
        City(name: "Austin", state: "TX", zip: 78701, areaCode: 512, weight: 3),
        City(name: "Miami", state: "FL", zip: 33101, areaCode: 305, weight: 3),
        City(name: "Nashville", state: "TN", zip: 37201, areaCode: 615, weight: 2),
        City(name: "Columbus", state: "OH", zip: 43215, areaCode: 614, weight: 2),
        City(name: "Newark", state: "NJ", zip: 7102, areaCode: 973, weight: 2),
        City(name: "Jersey City", state: "NJ", zip: 7302, areaCode: 201, weight: 2),
        City(name: "Hartford", state: "CT", zip: 6103, areaCode: 860, weight: 2),
        City(name: "Providence", state: "RI", zip: 2903, areaCode: 401, weight: 1),
        City(name: "Portland", state: "ME", zip: 4101, areaCode: 207, weight: 1),
        City(name: "Portland", state: "OR", zip: 97201, areaCode: 503, weight: 2),
        City(name: "Salt Lake City", state: "UT", zip: 84101, areaCode: 801, weight: 1),
        City(name: "Raleigh", state: "NC", zip: 27601, areaCode: 919, weight: 2),
        City(name: "St. Louis", state: "MO", zip: 63101, areaCode: 314, weight: 2),
        City(name: "Pittsburgh", state: "PA", zip: 15222, areaCode: 412, weight: 2),
    ]

    static let roles: [Role] = [
        Role(title: "Data Analyst", skills: ["SQL", "Excel", "Tableau", "Python", "Power BI", "R"], payCents: 3500...6000, weight: 8),
        Role(title: "Data Engineer", skills: ["Python", "SQL", "Spark", "Airflow", "AWS", "Kafka", "dbt"], payCents: 5500...9500, weight: 5),
        Role(title: "Software Engineer", skills: ["Java", "Python", "JavaScript", "Go", "Git", "Docker", "Kubernetes", "SQL"], payCents: 5500...10000, weight: 7),
        Role(title: "Front-End Developer", skills: ["JavaScript", "TypeScript", "React", "CSS", "HTML", "Git"], payCents: 4500...8000, weight: 4),
        Role(title: "DevOps Engineer", skills: ["AWS", "Terraform", "Kubernetes", "Docker", "Linux", "Python"], payCents: 6000...9500, weight: 3),
        Role(title: "QA Analyst", skills: ["Selenium", "Jira", "SQL", "Python", "Test Planning"], payCents: 3500...5500, weight: 3),
        Role(title: "Project Manager", skills: ["Jira", "Agile", "Scrum", "Excel", "Budgeting", "MS Project"], payCents: 4500...8000, weight: 4),
        Role(title: "Business Analyst", skills: ["SQL", "Excel", "Visio", "Requirements Gathering", "Agile"], payCents: 4000...6500, weight: 4),
        Role(title: "Staff Accountant", skills: ["Excel", "QuickBooks", "GAAP", "SAP", "Reconciliation"], payCents: 3000...5000, weight: 4),
        Role(title: "Registered Nurse", skills: ["Patient Care", "EMR", "BLS", "ACLS", "Epic"], payCents: 3800...6500, weight: 7),
        Role(title: "Medical Assistant", skills: ["EMR", "Phlebotomy", "Scheduling", "Epic", "Patient Intake"], payCents: 1800...2600, weight: 5),
        Role(title: "Warehouse Associate", skills: ["Forklift", "Inventory", "Shipping", "RF Scanner", "OSHA"], payCents: 1700...2400, weight: 9),
        Role(title: "Customer Service Representative", skills: ["Salesforce", "Zendesk", "Bilingual Spanish", "Data Entry", "Excel"], payCents: 1700...2500, weight: 7),
        Role(title: "Administrative Assistant", skills: ["Excel", "Word", "Outlook", "Scheduling", "Data Entry"], payCents: 1900...2800, weight: 5),
        Role(title: "Machine Operator", skills: ["CNC", "Blueprint Reading", "Quality Control", "OSHA", "Forklift"], payCents: 1900...3000, weight: 5),
        Role(title: "HR Generalist", skills: ["Workday", "Onboarding", "Payroll", "Excel", "Benefits"], payCents: 3000...4500, weight: 2),
        Role(title: "Help Desk Technician", skills: ["Active Directory", "Windows", "ServiceNow", "Networking", "Office 365"], payCents: 2200...3500, weight: 4),
        Role(title: "Sales Representative", skills: ["Salesforce", "Cold Calling", "Negotiation", "CRM", "Excel"], payCents: 2500...4500, weight: 3),
    ]

    /// Client verticals, each with the roles (indexes into `roles`) its job orders favour.
    static let verticals: [(name: String, roles: [Int], words: [String])] = [
        ("Healthcare", [9, 10, 13, 12], ["Health", "Medical Center", "Care Partners", "Clinics"]),
        ("Finance", [8, 7, 0, 1], ["Financial", "Capital", "Bank", "Wealth Advisors"]),
        ("Technology", [2, 1, 3, 4, 5], ["Systems", "Software", "Labs", "Digital"]),
        ("Manufacturing", [14, 11, 6, 15], ["Manufacturing", "Industries", "Fabrication", "Components"]),
        ("Retail", [12, 11, 17, 13], ["Stores", "Outfitters", "Market", "Brands"]),
        ("Logistics", [11, 14, 12, 6], ["Logistics", "Freight", "Distribution", "Transport"]),
        ("Insurance", [0, 7, 12, 8], ["Insurance", "Mutual", "Assurance", "Underwriters"]),
        ("Education", [13, 16, 15, 0], ["Academy", "Learning", "University", "Schools"]),
        ("Energy", [6, 14, 1, 4], ["Energy", "Power", "Utilities", "Renewables"]),
        ("Hospitality", [12, 13, 17, 15], ["Hotels", "Resorts", "Hospitality", "Dining Group"]),
    ]

    static let firstNames = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
        "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
        "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
        "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
        "Luis", "Maria", "Carlos", "Ana", "Wei", "Mei", "Raj", "Priya", "Ahmed", "Fatima",
        "Jamal", "Aaliyah", "Hiroshi", "Yuki", "Olga", "Dmitri", "Kwame", "Ama", "Diego", "Sofia",
        "José", "Zoë", "Björn", "Renée", "Nguyen", "Thanh", "Sean", "Siobhan", "Mateo", "Camila",
    ]

    static let lastNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
        "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
        "Patel", "Shah", "Kim", "Chen", "Wang", "Singh", "Okafor", "Mensah", "Ivanova", "Kowalski",
        "O'Brien", "O'Neil", "Smith-Jones", "McAllister", "Nuñez", "Müller", "D'Angelo", "St. Clair", "Van der Berg", "Yamamoto",
    ]

    static let emailDomains = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "proton.me", "aol.com"]

    static let companyNames = [
        "Summit", "Pinnacle", "Blue River", "Northwind", "Cedar", "Keystone", "Harbor", "Redwood", "Silverline", "Granite",
        "Lakeshore", "Evergreen", "Ironbridge", "Meridian", "Crescent", "Beacon", "Atlas", "Frontier", "Sterling", "Horizon",
        "Prairie", "Cascade", "Oakmont", "Bluestone", "Riverside", "Liberty", "Sunrise", "Patriot", "Westfield", "Copperleaf",
        "Bayview", "Highland", "Maple", "Falcon", "Vanguard", "Orchard", "Trident", "Magnolia", "Canyon", "Northstar",
    ]

    /// Company suffixes; some carry a comma, which CSV must quote.
    static let companySuffixes = ["Inc.", ", Inc.", "LLC", ", LLC", "Corp.", "Group", "& Co.", "", "", ""]

    /// Nicknames some companies trade under, written in quotes: `"Big Sky" Logistics`.
    static let companyNicknames = ["Big Sky", "Blue Ox", "Red Door", "Lucky 7", "Top Notch"]

    static let recruiters: [(name: String, team: String)] = [
        ("Alicia Moreno", "Tech East"), ("Ben Carter", "Tech East"), ("Chloe Park", "Tech East"), ("Dev Patel", "Tech East"),
        ("Erin Walsh", "Tech East"), ("Frank Ortiz", "Tech West"), ("Grace Liu", "Tech West"), ("Hector Ruiz", "Tech West"),
        ("Isla Bennett", "Tech West"), ("Jon Meyer", "Tech West"), ("Kara Singh", "Healthcare"), ("Leo Grant", "Healthcare"),
        ("Maya Brooks", "Healthcare"), ("Nina Petrova", "Healthcare"), ("Omar Haddad", "Healthcare"), ("Paula Reyes", "Finance & Accounting"),
        ("Quinn Foster", "Finance & Accounting"), ("Rosa Delgado", "Finance & Accounting"), ("Sam O'Connor", "Finance & Accounting"),
        ("Tara Nguyen", "Light Industrial"), ("Umar Khan", "Light Industrial"), ("Vera Novak", "Light Industrial"),
        ("Will Turner", "Light Industrial"), ("Xavier Cole", "Light Industrial"), ("Yara Haddad", "Light Industrial"),
        ("Zach Kim", "Office & Admin"), ("Amber Lewis", "Office & Admin"), ("Brandon Hughes", "Office & Admin"),
        ("Carmen Silva", "Office & Admin"), ("Derek Shaw", "Executive Search"), ("Elena Rossi", "Executive Search"),
        ("Felix Wagner", "Executive Search"),
    ]

    /// Call outcomes with their relative frequencies.
    static let dispositions: [(name: String, weight: Int)] = [
        ("No Answer", 30), ("Left Voicemail", 25), ("Connected", 20), ("Interested", 9),
        ("Not Interested", 7), ("Scheduled Interview", 6), ("Wrong Number", 3),
    ]

    static let jobStatuses: [(name: String, weight: Int)] = [
        ("Filled", 45), ("Open", 25), ("Closed", 20), ("On Hold", 10),
    ]
}
