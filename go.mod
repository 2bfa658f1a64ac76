module github.com/stretchbot/stretchbot

go 1.26

require (
	github.com/bwmarrin/discordgo v0.29.0
	github.com/gorilla/websocket v1.4.2
	go.uber.org/goleak v1.3.0
)

require (
	github.com/stretchr/testify v1.10.0 // indirect
	golang.org/x/crypto v0.0.0-20210421170649-83a5a9bb288b // indirect
	golang.org/x/sys v0.29.0 // indirect
)
