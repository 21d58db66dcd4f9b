using System.Text.Json.Nodes;

namespace Flywheel.Bench.Generate;

/// <summary>The bank agent's function catalogue, with JSON Schema parameters, each pre-serialized to one compact line.</summary>
internal static class Tools
{
    private static readonly Dictionary<string, string> Catalogue = Load("""
        [
          {"name": "get_balance", "description": "Returns the current and available balance of one of the customer's deposit accounts.",
           "parameters": {"type": "object", "properties": {"account_id": {"type": "string", "description": "Account id, e.g. CHK-4471 (checking), SAV-4472 (savings) or BUS-4473 (business).", "pattern": "^(CHK|SAV|BUS)-[0-9]{4}$"}}, "required": ["account_id"]}},
          {"name": "get_transactions", "description": "Lists posted and pending transactions of an account or card in a date range.",
           "parameters": {"type": "object", "properties": {"account_id": {"type": "string"}, "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}, "limit": {"type": "integer", "minimum": 1, "maximum": 200}}, "required": ["account_id"]}},
          {"name": "get_payoff_quote", "description": "Quotes the amount needed to pay a mortgage or loan off in full, with the date the quote is good through.",
           "parameters": {"type": "object", "properties": {"loan_id": {"type": "string", "description": "Loan id, e.g. ML-20931."}, "as_of": {"type": "string", "description": "ISO date or 'today'; defaults to today."}}, "required": ["loan_id"]}},
          {"name": "schedule_payment", "description": "Schedules a one-off payment from a deposit account to a loan or card.",
           "parameters": {"type": "object", "properties": {"from_account": {"type": "string"}, "to_id": {"type": "string"}, "amount": {"type": "number", "exclusiveMinimum": 0}, "date": {"type": "string", "format": "date"}}, "required": ["from_account", "to_id", "amount"]}},
          {"name": "open_dispute", "description": "Opens a dispute for a card charge the customer does not recognize or did not authorize.",
           "parameters": {"type": "object", "properties": {"card_last4": {"type": "string", "pattern": "^[0-9]{4}$"}, "amount": {"type": "number", "exclusiveMinimum": 0}, "merchant": {"type": "string"}, "reason": {"type": "string", "enum": ["unrecognized", "unauthorized", "duplicate", "not_received", "wrong_amount"]}}, "required": ["card_last4", "amount", "merchant", "reason"]}},
          {"name": "freeze_card", "description": "Freezes a card at once: new purchases and withdrawals are declined until it is unfrozen.",
           "parameters": {"type": "object", "properties": {"card_last4": {"type": "string", "pattern": "^[0-9]{4}$"}}, "required": ["card_last4"]}},
          {"name": "get_card_details", "description": "Returns a card's credit limit, balance, available credit and status.",
           "parameters": {"type": "object", "properties": {"card_last4": {"type": "string", "pattern": "^[0-9]{4}$"}}, "required": ["card_last4"]}},
          {"name": "request_limit_increase", "description": "Requests a new credit limit for a card; small increases are decided instantly.",
           "parameters": {"type": "object", "properties": {"card_last4": {"type": "string", "pattern": "^[0-9]{4}$"}, "new_limit": {"type": "integer", "minimum": 500, "maximum": 50000}}, "required": ["card_last4", "new_limit"]}},
          {"name": "get_exchange_rate", "description": "Returns today's rate between two ISO 4217 currencies.",
           "parameters": {"type": "object", "properties": {"base": {"type": "string", "enum": ["USD", "GBP", "EUR"]}, "quote": {"type": "string", "enum": ["USD", "GBP", "EUR", "CHF", "JPY", "MXN"]}}, "required": ["base", "quote"]}},
          {"name": "get_wire_fee", "description": "Returns the fee for an international wire from one account.",
           "parameters": {"type": "object", "properties": {"account_id": {"type": "string"}, "currency": {"type": "string"}}, "required": ["account_id"]}},
          {"name": "create_wire", "description": "Sends an international wire. Only after the customer has confirmed amount, fee and rate.",
           "parameters": {"type": "object", "properties": {"from_account": {"type": "string"}, "iban": {"type": "string"}, "amount": {"type": "number", "exclusiveMinimum": 0}, "currency": {"type": "string"}}, "required": ["from_account", "iban", "amount", "currency"]}},
          {"name": "send_statement", "description": "Sends a monthly statement of an account or card to the customer.",
           "parameters": {"type": "object", "properties": {"account_id": {"type": "string"}, "period": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}, "delivery": {"type": "string", "enum": ["email", "post", "app"]}}, "required": ["account_id", "period"]}},
          {"name": "schedule_appointment", "description": "Books an appointment with an adviser at a branch.",
           "parameters": {"type": "object", "properties": {"branch": {"type": "string"}, "date": {"type": "string", "format": "date"}, "topic": {"type": "string"}}, "required": ["branch", "date"]}},
          {"name": "transfer_to_agent", "description": "Hands the conversation to a human agent or specialist team.",
           "parameters": {"type": "object", "properties": {"reason": {"type": "string", "enum": ["fraud_suspected", "lost_or_stolen_card", "complaint", "bereavement", "financial_hardship", "customer_request"]}, "priority": {"type": "string", "enum": ["normal", "high", "urgent"]}}, "required": ["reason"]}}
        ]
        """);

    /// <summary>The compact JSON of a tool definition.</summary>
    public static string Json(string name) => Catalogue[name];

    private static Dictionary<string, string> Load(string json)
    {
        var tools = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tool in JsonNode.Parse(json)!.AsArray())
        {
            tools[(string)tool!["name"]!] = tool.ToJsonString();
        }

        return tools;
    }
}
