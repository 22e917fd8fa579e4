package dnsproviders

// featured lists, most used first, the providers this product's audience
// (hobbyists, many on Chinese clouds; see the server panels they use, BT
// Panel and 1Panel) picks most. dnspod is left out on purpose: lego marks
// it deprecated in favour of tencentcloud, which serves DNSPod accounts
// through Tencent Cloud's API.
var featured = []string{
	"alidns",       // Alibaba Cloud DNS
	"tencentcloud", // Tencent Cloud DNS (DNSPod)
	"huaweicloud",  // Huawei Cloud
	"cloudflare",
	"volcengine", // Volcano Engine
	"baiducloud",
	"westcn", // West.cn
	"rainyun",
	"godaddy",
	"namesilo",
	"namecheap",
	"route53",
}

// Featured returns the providers to show first when the user has not
// typed anything, most used first.
func Featured() []Provider {
	var out []Provider
	for _, code := range featured {
		if p, ok := ByCode(code); ok {
			out = append(out, p)
		}
	}
	return out
}

// nicknames are what this audience calls some providers when the code
// differs: "aliyun" is Alibaba Cloud's own Chinese name. Suggest offers the
// code for them; ByCode does not accept them, so commands stay lego's.
var nicknames = map[string]string{
	"aliyun":  "alidns",
	"qcloud":  "tencentcloud",
	"cf":      "cloudflare",
	"huoshan": "volcengine",
	"west":    "westcn",
}
