using System.Globalization;

namespace Flywheel.Bench.Generate;

/// <summary>
/// The eight intents of a retail-bank support agent, in en-US, en-GB and es-ES. Every acceptable answer is written from
/// its context chunks (each sentence's figures in one chunk), so a correct response passes token F1, lexical
/// groundedness and tool selection; each case also carries the three kinds of wrong response.
/// </summary>
internal static class Scenarios
{
    public static readonly string[] Intents =
        ["account_balance", "mortgage_payoff", "card_dispute", "wire_transfer", "card_limit", "statement_request", "fraud_report", "branch_hours"];

    public static readonly string[] Locales = ["en-US", "en-GB", "es-ES"];

    public static readonly string[] Products = ["checking", "savings", "business", "credit_card", "mortgage"];

    private static readonly string[] Merchants =
        ["StreamPlus", "Corner Grocer", "FlyAway Air", "TechDepot Online", "Café Lumière", "Hotel Miramar", "GymOne", "PetWorld", "Ride&Go", "Librería Atenea"];

    private static readonly string[] BranchesEn = ["Elm Street", "Harbor Point", "Riverside", "Old Town", "Maple Avenue", "Station Road"];

    private static readonly string[] BranchesEs = ["Calle Mayor", "Plaza de España", "Gran Vía", "Paseo de Gracia", "Avenida del Puerto"];

    public static Case Create(string intent, Rng r, Lang l) => intent switch
    {
        "account_balance" => r.Chance(0.3) ? TwoBalances(r, l) : Balance(r, l),
        "mortgage_payoff" => Payoff(r, l),
        "card_dispute" => Dispute(r, l),
        "wire_transfer" => Wire(r, l),
        "card_limit" => Limit(r, l),
        "statement_request" => Statement(r, l),
        "fraud_report" => Fraud(r, l),
        "branch_hours" => Branch(r, l),
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "unknown intent"),
    };

    /// <summary>A third, off-topic chunk as retrieval often returns: figures the answer must not borrow.</summary>
    public static (string Id, string Text) SupportChunk(Rng r, Lang l)
    {
        var phone = r.Digits(4);
        var wait = r.Next(2, 15);
        return ($"support-hours-{phone}", l.T(
            $"Pinecrest Bank support is available 24 hours a day by chat and from 8:00 to 20:00 by phone on 1-800-555-{phone}; the average wait this week was {wait} minutes.",
            $"El servicio de atención de Pinecrest Bank está disponible 24 horas por chat y de 8:00 a 20:00 por teléfono en el 900 555 {phone}; la espera media esta semana fue de {wait} minutos."));
    }

    public static (string Role, string Content) SystemMessage(Lang l) => ("system", l.T(
        "You are the virtual assistant of Pinecrest Bank. Use the tools to look up account data; never guess an amount. Answer in the customer's language.",
        "Eres el asistente virtual de Pinecrest Bank. Usa las herramientas para consultar los datos de las cuentas; nunca inventes un importe."));

    private static string Prefix(string product) => product switch { "savings" => "SAV", "business" => "BUS", _ => "CHK" };

    private static string Name(string product, Lang l) => product switch
    {
        "savings" => l.T("High-Yield Savings", "Easy Saver", "Cuenta Ahorro"),
        "business" => l.T("Business Checking", "Business Current", "Cuenta Negocios"),
        _ => l.T("Everyday Checking", "Everyday Current", "Cuenta Corriente"),
    };

    private static string Rate(decimal rate, Lang l)
    {
        var text = rate.ToString("0.0000", CultureInfo.InvariantCulture);
        return l.Es ? text.Replace('.', ',') : text;
    }

    private static (string Id, string Text) BalanceChunk(string account, string name, decimal balance, decimal pending, int day, Lang l) =>
        ($"balance-{account}", l.T(
            $"Account {account} ({name}): current balance {l.Money(balance)}, available balance {l.Money(balance - pending)}, as of {l.Date(day)}. Card authorizations of {l.Money(pending)} are pending and not yet posted to the current balance.",
            $"Cuenta {account} ({name}): saldo actual {l.Money(balance)}, saldo disponible {l.Money(balance - pending)}, a {l.Date(day)}. Hay autorizaciones de tarjeta por {l.Money(pending)} pendientes, aún no contabilizadas en el saldo actual."));

    private static Case Balance(Rng r, Lang l)
    {
        var product = r.Chance(0.6) ? "checking" : "savings";
        var account = $"{Prefix(product)}-{r.Digits(4)}";
        var name = Name(product, l);
        var balance = r.Money(100, 60_000);
        var pending = r.Money(1, 400);
        var day = r.Next(1, 19);
        string Answer(decimal amount) => l.T($"Your {name} account {account} has a balance of {l.Money(amount)}.", $"Su {name} {account} tiene un saldo de {l.Money(amount)}.");
        var c = new Case
        {
            Intent = "account_balance",
            Product = product,
            Answers = [Answer(balance), l.T(
                $"The current balance of account {account} is {l.Money(balance)}, with {l.Money(balance - pending)} available.",
                $"El saldo actual de la cuenta {account} es {l.Money(balance)}, con {l.Money(balance - pending)} disponibles.")],
            Expected = [Call.Expect("get_balance", ("account_id", [account]))],
            Tools = ["get_balance", "get_transactions", "schedule_payment", "transfer_to_agent"],
            Calls = [Call.Make("get_balance", ("account_id", account))],
            Invented = Answer(balance + (r.Next(1, 90) * 10)),
            Paraphrase = l.T($"Looks like {account} is sitting at roughly {l.Money(Math.Round(balance / 100) * 100)} right now.", $"Parece que {account} anda por unos {l.Money(Math.Round(balance / 100) * 100)} ahora mismo."),
            WrongCalls = [Call.Make("get_transactions", ("account_id", account))],
        };
        c.Input.Add(("user", l.T($"What's the balance on my {name} account {account}?", $"¿Cuál es el saldo de mi {name} {account}?")));
        c.Context.Add(BalanceChunk(account, name, balance, pending, day, l));
        return c;
    }

    private static Case TwoBalances(Rng r, Lang l)
    {
        var digits = int.Parse(r.Digits(4), CultureInfo.InvariantCulture);
        var (checking, savings) = ($"CHK-{digits}", $"SAV-{digits + 1}");
        var (n1, n2) = (Name("checking", l), Name("savings", l));
        var (b1, b2) = (r.Money(50, 20_000), r.Money(500, 90_000));
        var day = r.Next(1, 19);
        string Answer(decimal second) => l.T(
            $"Your {n1} account {checking} has {l.Money(b1)}. Your {n2} account {savings} has {l.Money(second)}.",
            $"Su {n1} {checking} tiene {l.Money(b1)}. Su {n2} {savings} tiene {l.Money(second)}.");
        Call[] both = [Call.Make("get_balance", ("account_id", checking)), Call.Make("get_balance", ("account_id", savings))];
        var c = new Case
        {
            Intent = "account_balance",
            Product = r.Chance(0.5) ? "checking" : "savings",
            Answers = [Answer(b2), l.T(
                $"Account {checking} has a balance of {l.Money(b1)}. Account {savings} has a balance of {l.Money(b2)}.",
                $"La cuenta {checking} tiene un saldo de {l.Money(b1)}. La cuenta {savings} tiene un saldo de {l.Money(b2)}.")],
            Expected = [Call.Expect("get_balance", ("account_id", [checking])), Call.Expect("get_balance", ("account_id", [savings]))],
            ToolOrder = "any",
            Tools = ["get_balance", "get_transactions", "schedule_payment", "transfer_to_agent"],
            Calls = r.Chance(0.5) ? both : [both[1], both[0]],
            Invented = Answer(b2 + (r.Next(1, 50) * 100)),
            Paraphrase = l.T($"Between the two you have about {l.Money(Math.Round((b1 + b2) / 100) * 100)} in total.", $"Entre las dos tiene unos {l.Money(Math.Round((b1 + b2) / 100) * 100)} en total."),
            WrongCalls = [both[0]],
        };
        c.Input.Add(("user", l.T(
            $"How much do I have in checking {checking} and savings {savings}? Give me each one.",
            $"How much do I have in my current account {checking} and savings {savings}? Give me each one.",
            $"¿Cuánto tengo en la cuenta corriente {checking} y en la de ahorro {savings}? Dímelo por separado.")));
        c.Context.Add(BalanceChunk(checking, n1, b1, r.Money(1, 200), day, l));
        c.Context.Add(BalanceChunk(savings, n2, b2, 0m, day, l));
        return c;
    }

    private static Case Payoff(Rng r, Lang l)
    {
        var loan = $"ML-{r.Digits(5)}";
        var principal = r.Money(40_000, 450_000);
        var interest = r.Money(20, 1_500);
        const decimal fee = 25m;
        var total = principal + interest + fee;
        var day = r.Next(1, 19);
        var through = day + r.Next(7, 12);
        string Answer(decimal amount) => l.T(
            $"Your payoff amount for loan {loan} is {l.Money(amount)}, good through {l.Date(through)}.",
            $"El importe de cancelación del préstamo {loan} es {l.Money(amount)}, válido hasta el {l.Date(through)}.");
        var asOf = r.Next(3);
        var c = new Case
        {
            Intent = "mortgage_payoff",
            Product = "mortgage",
            Answers = [Answer(total), l.T(
                $"The total payoff amount for loan {loan} is {l.Money(total)}, including accrued interest of {l.Money(interest)}, good through {l.Date(through)}.",
                $"El importe total de cancelación del préstamo {loan} es {l.Money(total)}, con intereses devengados de {l.Money(interest)}, válido hasta el {l.Date(through)}.")],
            Expected = [Call.Expect("get_payoff_quote", ("loan_id", [loan]), ("as_of", ["", "today", $"2026-11-{day:D2}"]))],
            Tools = ["get_payoff_quote", "get_balance", "schedule_payment", "transfer_to_agent"],
            Calls = [asOf switch
            {
                0 => Call.Make("get_payoff_quote", ("loan_id", loan)),
                1 => Call.Make("get_payoff_quote", ("loan_id", loan), ("as_of", "today")),
                _ => Call.Make("get_payoff_quote", ("loan_id", loan), ("as_of", $"2026-11-{day:D2}")),
            }],
            // The classic slip: the payoff fee counted twice.
            Invented = Answer(total + fee),
            Paraphrase = l.T($"You'd need roughly {l.Money(Math.Round(total / 1000) * 1000)} to close it out this month.", $"Necesitaría unos {l.Money(Math.Round(total / 1000) * 1000)} para quitársela este mes."),
            WrongCalls = [Call.Make("get_balance", ("account_id", loan))],
        };
        c.Input.Add(("user", r.Chance(0.5)
            ? l.T($"What do I owe to pay off my mortgage {loan} today?", $"¿Cuánto tengo que pagar hoy para cancelar mi hipoteca {loan}?")
            : l.T($"I want to pay off loan {loan} in full. What's the payoff amount?", $"Quiero cancelar el préstamo {loan} por completo. ¿Cuál es el importe?")));
        c.Context.Add(($"payoff-{loan}", l.T(
            $"Payoff quote for loan {loan} as of {l.Date(day)}: principal {l.Money(principal)}, accrued interest {l.Money(interest)}, payoff fee {l.Money(fee)}, total payoff amount {l.Money(total)}, good through {l.Date(through)}.",
            $"Cotización de cancelación del préstamo {loan} a {l.Date(day)}: capital {l.Money(principal)}, intereses devengados {l.Money(interest)}, comisión de cancelación {l.Money(fee)}, importe total de cancelación {l.Money(total)}, válida hasta el {l.Date(through)}.")));
        if (r.Chance(0.5))
        {
            c.Context.Add(("policy-payoff-funds", l.T(
                "Payoff funds must arrive by wire or certified check before 4 p.m. ET on the good-through date; after that date a new quote is needed because interest accrues daily.",
                "Los fondos de cancelación deben llegar por transferencia o cheque certificado antes de las 16:00 de la fecha de validez; después hace falta una nueva cotización porque los intereses se devengan a diario.")));
        }

        return c;
    }

    private static Case Dispute(Rng r, Lang l)
    {
        var last4 = r.Digits(4);
        var amount = r.Money(5, 900);
        var merchant = r.Pick(Merchants);
        var day = r.Next(1, 17);
        var reference = r.Digits(8);
        string Answer(decimal value) => l.T(
            $"I opened a dispute for the {l.Money(value)} charge at {merchant} on your card ending {last4}. You get a provisional credit within 10 business days.",
            $"He abierto una reclamación por el cargo de {l.Money(value)} en {merchant} de su tarjeta terminada en {last4}. Recibirá un abono provisional en 10 días hábiles.");
        var c = new Case
        {
            Intent = "card_dispute",
            Product = "credit_card",
            Answers = [Answer(amount), l.T(
                $"A dispute is open for the {l.Money(amount)} charge at {merchant} on card ending {last4}. A provisional credit arrives within 10 business days.",
                $"Su reclamación del cargo de {l.Money(amount)} en {merchant} con la tarjeta terminada en {last4} está abierta. El abono provisional llega en 10 días hábiles.")],
            Expected = [Call.Expect("open_dispute", ("card_last4", [last4]), ("amount", [amount]), ("merchant", [merchant]), ("reason", ["unrecognized", "unauthorized"]))],
            Tools = ["get_transactions", "open_dispute", "freeze_card", "transfer_to_agent"],
            Calls = [Call.Make("open_dispute", ("card_last4", last4), ("amount", amount), ("merchant", merchant), ("reason", r.Chance(0.7) ? "unrecognized" : "unauthorized"))],
            Invented = Answer(amount + r.Next(1, 20)),
            Paraphrase = l.T($"We've flagged that {merchant} payment for review and you should hear back soon.", $"Hemos marcado ese pago de {merchant} para revisarlo y le diremos algo pronto."),
            WrongCalls = [Call.Make("freeze_card", ("card_last4", last4))],
        };
        c.Input.Add(("user", l.T(
            $"I don't recognize a {l.Money(amount)} charge from {merchant} on my card ending {last4}. Can you dispute it?",
            $"No reconozco un cargo de {l.Money(amount)} de {merchant} en mi tarjeta terminada en {last4}. ¿Pueden reclamarlo?")));
        c.Context.Add(($"txn-{reference}", l.T(
            $"Card ending {last4}: charge of {l.Money(amount)} at {merchant} on {l.Date(day)}, posted {l.Date(day + 1)}, reference {reference}. The charge is on the statement that closes on {l.Date(25)}.",
            $"Tarjeta terminada en {last4}: cargo de {l.Money(amount)} en {merchant} el {l.Date(day)}, contabilizado el {l.Date(day + 1)}, referencia {reference}. El cargo figura en el extracto que cierra el {l.Date(25)}.")));
        c.Context.Add(("policy-disputes", l.T(
            "Disputed card charges get a provisional credit within 10 business days while the merchant responds; the investigation closes within 90 days and the customer is told by email.",
            "Los cargos reclamados reciben un abono provisional en 10 días hábiles mientras responde el comercio; la investigación se cierra en 90 días y se avisa al cliente por correo electrónico.")));
        return c;
    }

    private static Case Wire(Rng r, Lang l)
    {
        var product = r.Chance(0.7) ? "checking" : "business";
        var account = $"{Prefix(product)}-{r.Digits(4)}";
        var name = Name(product, l);
        var quote = r.Pick(l.Currency switch { "USD" => new[] { "EUR", "MXN", "CHF" }, "GBP" => ["EUR", "USD", "CHF"], _ => ["USD", "GBP", "CHF"] });
        var amount = r.Next(4, 400) * 50m;
        var rate = r.Next(5_000, 15_000) / 10_000m;
        var cost = Math.Round(amount / rate, 2);
        var fee = r.Next(3, 10) * 5m;
        var day = r.Next(1, 19);
        var strict = r.Chance(0.3);
        string Answer(decimal wireFee) => l.T(
            $"Sending {l.Amount(amount)} {quote} costs {l.Money(cost)} at today's rate of {Rate(rate, l)}. The international wire fee is {l.Money(wireFee)}.",
            $"Enviar {l.Amount(amount)} {quote} cuesta {l.Money(cost)} al tipo de cambio de hoy de {Rate(rate, l)}. La comisión por transferencia internacional es {l.Money(wireFee)}.");
        var rateCall = Call.Make("get_exchange_rate", ("base", l.Currency), ("quote", quote));
        var feeCall = r.Chance(0.5) ? Call.Make("get_wire_fee", ("account_id", account), ("currency", quote)) : Call.Make("get_wire_fee", ("account_id", account));
        var c = new Case
        {
            Intent = "wire_transfer",
            Product = product,
            Answers = [Answer(fee), l.T(
                $"At today's rate of {Rate(rate, l)}, {l.Amount(amount)} {quote} costs {l.Money(cost)}. On top of that there is an international wire fee of {l.Money(fee)}.",
                $"Con el tipo de cambio de hoy ({Rate(rate, l)}), {l.Amount(amount)} {quote} cuesta {l.Money(cost)}. Además, la comisión por transferencia internacional es de {l.Money(fee)}.")],
            Expected = [Call.Expect("get_exchange_rate", ("base", [l.Currency]), ("quote", [quote])), Call.Expect("get_wire_fee", ("account_id", [account]), ("currency", ["", quote]))],
            ToolOrder = strict ? "strict" : r.Chance(0.5) ? "any" : null,
            Tools = ["get_exchange_rate", "get_wire_fee", "create_wire", "get_balance"],
            Calls = strict || r.Chance(0.5) ? [rateCall, feeCall] : [feeCall, rateCall],
            Invented = Answer(fee + 10),
            Paraphrase = l.T($"It'll be a little over {l.Money(Math.Ceiling(cost / 100) * 100)} all in, fees included.", $"Le saldrá por algo más de {l.Money(Math.Ceiling(cost / 100) * 100)} con todo incluido."),
            // Acting before the customer confirmed: the wire is sent instead of the fee being quoted.
            WrongCalls = [rateCall, Call.Make("create_wire", ("from_account", account), ("iban", $"DE{r.Digits(20)}"), ("amount", amount), ("currency", quote))],
        };
        c.Input.Add(("user", l.T($"How much will it cost to wire {l.Amount(amount)} {quote} from {account}?", $"¿Cuánto me costará enviar {l.Amount(amount)} {quote} desde {account}?")));
        c.Context.Add(($"fx-{l.Currency}{quote}-2026-11-{day:D2}", l.T(
            $"Exchange rate on {l.Date(day)}: 1 {l.Currency} = {Rate(rate, l)} {quote}; sending {l.Amount(amount)} {quote} costs {l.Money(cost)} from a {l.Currency} account before fees.",
            $"Tipo de cambio del {l.Date(day)}: 1 {l.Currency} = {Rate(rate, l)} {quote}; enviar {l.Amount(amount)} {quote} cuesta {l.Money(cost)} desde una cuenta en {l.Currency}, sin comisiones.")));
        c.Context.Add(($"wire-fee-{account}", l.T(
            $"International wire fee for {name} account {account}: {l.Money(fee)} per wire. Wires submitted after 3 p.m. are sent on the next business day.",
            $"Comisión por transferencia internacional de la {name} {account}: {l.Money(fee)} por envío. Las transferencias enviadas después de las 15:00 salen el siguiente día hábil.")));
        return c;
    }

    private static Case Limit(Rng r, Lang l)
    {
        var last4 = r.Digits(4);
        var current = r.Next(10, 60) * 100;
        var requested = current + (r.Next(5, 40) * 100);
        var balance = r.Money(0, current);
        var day = r.Next(1, 19);
        string Answer(int limit) => l.T(
            $"The new limit on your card ending {last4} is {l.Money(limit)}, approved on {l.Date(day)} and effective immediately.",
            $"El nuevo límite de su tarjeta terminada en {last4} es {l.Money(limit)}, aprobado el {l.Date(day)} con efecto inmediato.");
        var c = new Case
        {
            Intent = "card_limit",
            Product = "credit_card",
            Answers = [Answer(requested), l.T(
                $"Your card ending {last4} now has a limit of {l.Money(requested)}, effective immediately.",
                $"Su tarjeta terminada en {last4} tiene ahora un límite de {l.Money(requested)}, con efecto inmediato.")],
            Expected = [Call.Expect("request_limit_increase", ("card_last4", [last4]), ("new_limit", [requested]))],
            Tools = ["get_card_details", "request_limit_increase", "freeze_card", "transfer_to_agent"],
            Calls = [Call.Make("request_limit_increase", ("card_last4", last4), ("new_limit", requested))],
            Invented = Answer(requested + 500),
            Paraphrase = l.T("Done, you have more room to spend on that card now.", "Hecho, ya tiene más margen para gastar con esa tarjeta."),
            WrongCalls = [Call.Make("get_card_details", ("card_last4", last4))],
        };
        c.Input.Add(("user", l.T($"Can you raise the limit on my card ending {last4} to {l.Money(requested)}?", $"¿Pueden subir el límite de mi tarjeta terminada en {last4} a {l.Money(requested)}?")));
        c.Context.Add(($"card-{last4}", l.T(
            $"Card ending {last4}: credit limit {l.Money(current)}, current balance {l.Money(balance)}, available credit {l.Money(current - balance)}. Limit increases of up to {l.Money(20_000)} are decided instantly for cards open more than 12 months.",
            $"Tarjeta terminada en {last4}: límite de crédito {l.Money(current)}, saldo actual {l.Money(balance)}, crédito disponible {l.Money(current - balance)}. Los aumentos de hasta {l.Money(20_000)} se deciden al instante en tarjetas con más de 12 meses.")));
        c.Context.Add(($"limit-request-{last4}", l.T(
            $"Limit increase request for card ending {last4}: new limit {l.Money(requested)} approved on {l.Date(day)}, effective immediately; the next statement shows the new limit.",
            $"Solicitud de aumento de límite de la tarjeta terminada en {last4}: nuevo límite {l.Money(requested)} aprobado el {l.Date(day)}, con efecto inmediato.")));
        return c;
    }

    private static Case Statement(Rng r, Lang l)
    {
        var product = r.Pick(new[] { "checking", "savings", "business", "credit_card" });
        var account = product == "credit_card" ? $"CC-{r.Digits(4)}" : $"{Prefix(product)}-{r.Digits(4)}";
        int[] months = r.Chance(0.3) ? [9, 10] : [10];
        var closing = months.Select(_ => r.Money(100, 40_000)).ToArray();
        var counts = months.Select(_ => r.Next(3, 90)).ToArray();
        string Sentence(int i, decimal value) => l.T(
            $"Your {l.Month(months[i])} 2026 statement for {account} has a closing balance of {l.Money(value)} and {counts[i]} transactions.",
            $"Su extracto de {l.Month(months[i])} de 2026 de {account} tiene un saldo final de {l.Money(value)} y {counts[i]} movimientos.");
        var calls = months.Select(m => r.Chance(0.5)
            ? Call.Make("send_statement", ("account_id", account), ("period", $"2026-{m:D2}"), ("delivery", "email"))
            : Call.Make("send_statement", ("account_id", account), ("period", $"2026-{m:D2}"))).ToArray();
        var c = new Case
        {
            Intent = "statement_request",
            Product = product,
            Answers = [
                string.Join(" ", months.Select((_, i) => Sentence(i, closing[i]))),
                string.Join(" ", months.Select((m, i) => l.T(
                    $"The {l.Month(m)} 2026 statement of {account} closes at {l.Money(closing[i])} after {counts[i]} transactions.",
                    $"El extracto de {l.Month(m)} de 2026 de {account} cierra con un saldo final de {l.Money(closing[i])} tras {counts[i]} movimientos.")))],
            Expected = months.Select(m => Call.Expect("send_statement", ("account_id", [account]), ("period", [$"2026-{m:D2}"]), ("delivery", ["", "email"]))).ToArray(),
            ToolOrder = months.Length > 1 ? "any" : null,
            Tools = ["send_statement", "get_transactions", "get_balance", "transfer_to_agent"],
            Calls = r.Chance(0.5) ? calls : calls.Reverse().ToArray(),
            Invented = string.Join(" ", months.Select((_, i) => Sentence(i, i == months.Length - 1 ? closing[i] + r.Next(1, 99) : closing[i]))),
            Paraphrase = l.T("Sent! Check your inbox in a few minutes.", "¡Enviado! Revise su bandeja de entrada en unos minutos."),
            WrongCalls = [Call.Make("get_transactions", ("account_id", account), ("from", $"2026-{months[0]:D2}-01"), ("to", "2026-10-31"))],
        };
        c.Input.Add(("user", months.Length == 1
            ? l.T($"Please email me my {l.Month(10)} statement for {account}.", $"Por favor, envíeme por correo el extracto de {l.Month(10)} de {account}.")
            : l.T($"Please email me my {l.Month(9)} and {l.Month(10)} statements for {account}.", $"Por favor, envíeme por correo los extractos de {l.Month(9)} y {l.Month(10)} de {account}.")));
        for (var i = 0; i < months.Length; i++)
        {
            var opening = r.Money(100, 40_000);
            c.Context.Add(($"statement-{account}-2026-{months[i]:D2}", l.T(
                $"Statement for {account}, {l.Month(months[i])} 2026: opening balance {l.Money(opening)}, closing balance {l.Money(closing[i])}, {counts[i]} transactions. Statements stay available to download for 7 years.",
                $"Extracto de {account}, {l.Month(months[i])} de 2026: saldo inicial {l.Money(opening)}, saldo final {l.Money(closing[i])}, {counts[i]} movimientos. Los extractos se pueden descargar durante 7 años.")));
        }

        return c;
    }

    private static Case Fraud(Rng r, Lang l)
    {
        var last4 = r.Digits(4);
        var day = r.Next(1, 19);
        var time = $"{r.Next(7, 23):D2}:{r.Next(60):D2}";
        var hours = r.Chance(0.5) ? 2 : 4;
        string Answer(int h) => l.T(
            $"Your card ending {last4} is frozen, so new purchases are declined. The fraud team will call you back within {h} hours.",
            $"Su tarjeta terminada en {last4} se bloqueó y las nuevas compras se rechazan. El equipo de fraude le llamará en un plazo de {h} horas.");
        var freeze = Call.Make("freeze_card", ("card_last4", last4));
        var handOver = Call.Make("transfer_to_agent", ("reason", "fraud_suspected"), ("priority", r.Chance(0.6) ? "urgent" : "high"));
        var c = new Case
        {
            Intent = "fraud_report",
            Product = r.Chance(0.7) ? "credit_card" : "checking",
            Answers = [Answer(hours), l.T(
                $"I froze your card ending {last4}; new purchases are declined. Our fraud team calls you back within {hours} hours.",
                $"He bloqueado su tarjeta terminada en {last4}; las nuevas compras se rechazan. El equipo de fraude le llama en un plazo de {hours} horas.")],
            Expected = [Call.Expect("freeze_card", ("card_last4", [last4])), Call.Expect("transfer_to_agent", ("reason", ["fraud_suspected"]), ("priority", ["high", "urgent"]))],
            ToolOrder = "any",
            Tools = ["freeze_card", "transfer_to_agent", "open_dispute", "get_transactions"],
            Calls = r.Chance(0.5) ? [freeze, handOver] : [handOver, freeze],
            Invented = Answer(24),
            Paraphrase = l.T("Don't worry, we'll take care of it and be in touch.", "No se preocupe, nos encargamos y le contactamos."),
            // The card is left open: only the hand-over is made.
            WrongCalls = [handOver],
        };
        c.Input.Add(("user", l.T(
            $"There are charges I didn't make on my card ending {last4}. Someone must have my card details!",
            $"Hay cargos que no he hecho en mi tarjeta terminada en {last4}. ¡Alguien tiene los datos de mi tarjeta!")));
        c.Context.Add(($"freeze-{last4}", l.T(
            $"Card ending {last4} was frozen on {l.Date(day)} at {time}; new purchases and ATM withdrawals are declined until the card is unfrozen in the app.",
            $"La tarjeta terminada en {last4} se bloqueó el {l.Date(day)} a las {time}; las nuevas compras y retiradas de cajero se rechazan hasta que se desbloquee en la app.")));
        c.Context.Add(("policy-fraud", l.T(
            $"Suspected fraud is handled by the fraud team, who call the customer back within {hours} hours and send a replacement card within 5 business days.",
            $"El equipo de fraude gestiona los casos de fraude sospechado, llama al cliente en un plazo de {hours} horas y envía una tarjeta nueva en 5 días hábiles.")));
        return c;
    }

    private static Case Branch(Rng r, Lang l)
    {
        var branch = r.Pick(l.Es ? BranchesEs : BranchesEn);
        var number = r.Next(100, 999);
        var (open, close) = (r.Next(8, 10), r.Next(16, 19));
        var (satOpen, satClose) = (r.Next(9, 11), r.Next(13, 15));
        string Answer(string from, string to) => l.T($"The {branch} branch is open on Saturday from {from} to {to}.", $"La oficina de {branch} abre el sábado de {from} a {to}.");
        var c = new Case
        {
            Intent = "branch_hours",
            Product = r.Pick(Products),
            Answers = [Answer($"{satOpen}:00", $"{satClose}:00"), l.T(
                $"On Saturdays the {branch} branch opens at {satOpen}:00 and closes at {satClose}:00.",
                $"Los sábados la oficina de {branch} abre a las {satOpen}:00 y cierra a las {satClose}:00.")],
            Expected = [],
            Tools = ["get_balance", "schedule_appointment", "transfer_to_agent"],
            Calls = [],
            Invented = Answer($"{satOpen}:30", $"{satClose}:30"),
            Paraphrase = l.T("Saturdays are a short day there, mornings only.", "Los sábados solo abren por la mañana."),
            // Nothing needed a tool; booking an appointment is an action nobody asked for.
            WrongCalls = [Call.Make("schedule_appointment", ("branch", branch), ("date", "2026-11-21"))],
        };
        c.Input.Add(("user", l.T($"What time does the {branch} branch open on Saturday?", $"¿A qué hora abre la oficina de {branch} el sábado?")));
        c.Context.Add(($"branch-{branch.ToLowerInvariant().Replace(' ', '-')}", l.T(
            $"The {branch} branch at {number} {branch} is open Monday to Friday from {open}:00 to {close}:00 and Saturday from {satOpen}:00 to {satClose}:00; it is closed on Sundays and public holidays.",
            $"La oficina de {branch}, en {branch} {number}, abre de lunes a viernes de {open}:00 a {close}:00 y los sábados de {satOpen}:00 a {satClose}:00; cierra los domingos y festivos.")));
        if (r.Chance(0.4))
        {
            c.Context.Add(($"atm-{number}", l.T(
                $"The ATM at the {branch} branch is available 24 hours a day and accepts cash deposits of up to {l.Money(r.Next(2, 10) * 1000)} per day.",
                $"El cajero de la oficina de {branch} funciona las 24 horas y admite ingresos en efectivo de hasta {l.Money(r.Next(2, 10) * 1000)} al día.")));
        }

        return c;
    }
}
