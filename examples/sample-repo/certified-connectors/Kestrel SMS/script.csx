using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;

public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        switch (this.Context.OperationId)
        {
            case "SendMessage":
                return await this.SendMessage().ConfigureAwait(false);
            case "GetDeliveryReport":
                return await this.GetDeliveryReport().ConfigureAwait(false);
            default:
                return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
        }
    }

    // Normalise the recipient to E.164 ("+4420..."): strip spaces, dashes and a leading "00".
    private async Task<HttpResponseMessage> SendMessage()
    {
        var body = JObject.Parse(await this.Context.Request.Content.ReadAsStringAsync().ConfigureAwait(false));
        var to = new string(((string)body["to"] ?? string.Empty).Where(c => char.IsDigit(c) || c == '+').ToArray());
        if (to.StartsWith("00"))
        {
            to = "+" + to.Substring(2);
        }
        body["to"] = to;
        this.Context.Request.Content = new StringContent(body.ToString(), Encoding.UTF8, "application/json");
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
    }

    // Lower-case the status so flows can compare it with a fixed list.
    private async Task<HttpResponseMessage> GetDeliveryReport()
    {
        var response = await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var report = JObject.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            report["status"] = ((string)report["status"] ?? "unknown").ToLowerInvariant();
            response.Content = new StringContent(report.ToString(), Encoding.UTF8, "application/json");
        }
        return response;
    }
}
