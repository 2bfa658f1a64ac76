package stretchbot

import "github.com/stretchbot/stretchbot/lang"

// en prints the English texts the tests compare with.
var en = lang.English()

// English texts the tests look for, by their old names.
var (
	disclaimer          = en.T(disclaimerID)
	disclaimerInDoubt   = en.T(disclaimerInDoubtID)
	emergencyWhy        = en.T("checkin.emergency.why")
	todayAction         = en.T("checkin.today.action")
	soonAction          = en.T("checkin.soon.action")
	soonStretching      = en.T("checkin.soon.stretching")
	keepStretching      = en.T("checkin.self_care.keep_stretching")
	noWarningSigns      = en.T("checkin.self_care.no_warning_signs")
	flareAdvice         = en.T("checkin.flare")
	heldSelfCareHeading = en.T("checkin.heading.held_self_care")
	boneRiskIntro       = en.T("offer.bone_risk.intro")
	severePainNote      = en.T("offer.severe.note")
	nothingSafeText     = en.T("offer.nothing_safe")
)
